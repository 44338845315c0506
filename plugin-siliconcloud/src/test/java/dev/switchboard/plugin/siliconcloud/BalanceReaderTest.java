package dev.switchboard.plugin.siliconcloud;

import static dev.switchboard.plugin.siliconcloud.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.math.BigDecimal;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@code /user/info} with its string balances. */
class BalanceReaderTest {

    private static final String INFO = "{\"code\":20000,\"message\":\"OK\",\"status\":true,\"data\":{"
            + "\"id\":\"userid\",\"name\":\"username\",\"image\":\"\",\"email\":\"\",\"isAdmin\":false,"
            + "\"balance\":\"0.88\",\"status\":\"normal\",\"introduction\":\"\",\"role\":\"\","
            + "\"chargeBalance\":\"88.00\",\"totalBalance\":\"88.88\"}}";

    private final BalanceReader reader = new BalanceReader(Fixtures.JSON);

    @Test
    void theTotalBalanceIsReadFromItsString() throws Exception {
        assertEquals(new BigDecimal("88.88"), BalanceReader.amount(json(INFO)));
        assertEquals(new BigDecimal("12.5"), BalanceReader.amount(json(INFO.replace("88.88", "12.50"))));
        assertEquals(new BigDecimal("100"), BalanceReader.amount(json(INFO.replace("88.88", "100.00"))));
        assertEquals("100", BalanceReader.amount(json(INFO.replace("88.88", "100.00"))).toString(), "no 1E+2");
        assertEquals(new BigDecimal("3.25"), BalanceReader.amount(json(INFO.replace("\"88.88\"", "3.25"))));
    }

    @Test
    void withoutATotalThePartsAreAdded() throws Exception {
        assertEquals(new BigDecimal("88.88"), BalanceReader.amount(json(INFO.replace(",\"totalBalance\":\"88.88\"",
                ""))));
    }

    @Test
    void anAnswerWithoutBalanceOrWithAnErrorCodeFails() {
        assertThrows(UpstreamErrorException.class, () -> BalanceReader.amount(json(
                "{\"code\":20000,\"status\":true,\"data\":{\"name\":\"x\"}}")));
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class, () -> BalanceReader.amount(json(
                "{\"code\":30001,\"message\":\"Sorry, your account balance is insufficient\",\"status\":false,"
                        + "\"data\":null}")));
        assertEquals("30001", e.error().vendorCode());
    }

    @Test
    void theSideCallAsksUserInfoWithTheKeyAndNamesTheCurrency() {
        Fixtures.CannedClient client = new Fixtures.CannedClient(200, INFO);
        Balance b = reader.read(Fixtures.channel("{}"), client).toCompletableFuture().join();
        assertEquals(new Balance(new BigDecimal("88.88"), "CNY"), b);
        assertEquals("https://api.siliconflow.cn/v1/user/info", client.calls.get(0).url());
        assertEquals("GET", client.calls.get(0).method());
        assertEquals("Bearer sk-test-key", client.calls.get(0).headers().get("Authorization"));

        Fixtures.CannedClient intl = new Fixtures.CannedClient(200, INFO);
        assertEquals("USD", reader.read(Fixtures.channel("{\"region\":\"intl\"}"), intl).toCompletableFuture().join()
                .currency());
        assertEquals("https://api.siliconflow.com/v1/user/info", intl.calls.get(0).url());
    }

    @Test
    void aRejectedKeyFailsTheStageWithTheVerdict() {
        Fixtures.CannedClient client = new Fixtures.CannedClient(401, "\"Api key is invalid\"");
        CompletionException e = assertThrows(CompletionException.class,
                () -> reader.read(Fixtures.channel("{}"), client).toCompletableFuture().join());
        UpstreamErrorException u = assertInstanceOf(UpstreamErrorException.class, e.getCause());
        assertTrue(u.error().disableChannel());
        assertEquals("[siliconcloud] Api key is invalid", u.error().message());
    }
}
