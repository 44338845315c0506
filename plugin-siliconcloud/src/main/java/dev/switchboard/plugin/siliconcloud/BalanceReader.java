package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The account balance from {@code GET /user/info}: {@code {code:20000, message:"OK", status:true, data:{balance,
 * chargeBalance, totalBalance, ...}}}, amounts as strings. The channel's balance is {@code totalBalance} (the
 * gift balance plus the paid one), else the sum of the two parts.
 */
final class BalanceReader {

    private final ObjectMapper mapper;

    BalanceReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    CompletionStage<Balance> read(Channel channel, UpstreamClient client) {
        SideCall call = SideCall.get(SiliconCloudType.baseUrl(channel) + "/user/info")
                .header("Authorization", SiliconCloudType.authorization(channel)).build();
        String currency = SiliconCloudType.currency(channel);
        return client.send(call).thenCompose(r -> {
            if (r.status() / 100 != 2) {
                return CompletableFuture.failedFuture(
                        new UpstreamErrorException(SiliconFlowErrors.translate(r.status(), r.body(), mapper)));
            }
            try {
                return CompletableFuture.completedFuture(new Balance(amount(mapper.readTree(r.body())), currency));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(invalid("the /user/info answer is not JSON"));
            } catch (UpstreamErrorException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * @param info the {@code /user/info} answer
     * @return the total balance, without trailing zeros ({@code "12.50"} is 12.5)
     * @throws UpstreamErrorException when the answer is an error or holds no balance
     */
    static BigDecimal amount(JsonNode info) throws UpstreamErrorException {
        if (info == null || !info.isObject()) {
            throw invalid("the /user/info answer is not an object");
        }
        boolean failed = info.path("status").isBoolean() && !info.get("status").booleanValue()
                || info.path("code").canConvertToInt() && info.get("code").asInt() != 20000;
        JsonNode data = info.path("data");
        if (failed || !data.isObject()) {
            throw new UpstreamErrorException(SiliconFlowErrors.translate(200, info, info.toString()));
        }
        BigDecimal total = decimal(data.get("totalBalance"));
        if (total == null) {
            BigDecimal gift = decimal(data.get("balance"));
            BigDecimal paid = decimal(data.get("chargeBalance"));
            if (gift == null && paid == null) {
                throw invalid("the /user/info answer holds no totalBalance");
            }
            total = (gift == null ? BigDecimal.ZERO : gift).add(paid == null ? BigDecimal.ZERO : paid);
        }
        BigDecimal plain = total.stripTrailingZeros();
        return plain.scale() < 0 ? plain.setScale(0) : plain;
    }

    /** Strings as SiliconFlow sends them, numbers as they might one day. */
    private static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        try {
            return n.isTextual() && !n.textValue().isBlank() ? new BigDecimal(n.textValue().strip()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static UpstreamErrorException invalid(String why) {
        return new UpstreamErrorException(UpstreamError.builder(502, "upstream_error",
                "[" + SiliconFlowErrors.VENDOR + "] " + why).retryable(true).build());
    }
}
