package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testkit.Reply;
import org.junit.jupiter.api.Test;

/** GET /{id}/balance and POST /{id}/fetch-models, through the adapter of the channel's type. */
class ChannelActionsTest extends AdminApiTest {

    @Test
    void theBalanceIsReadAndRecordedOnTheChannel() {
        long id = createChannel("{'name':'q','type':'qwen','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        Reply r = api.get("/api/channels/" + id + "/balance");
        assertEquals(200, r.status(), r.toString());
        assertEquals(new java.math.BigDecimal("12.5"), r.json().path("balance").decimalValue());
        assertEquals("CNY", r.json().path("balance_currency").asText());
        assertTrue(r.json().path("balance_updated_at").isIntegralNumber());

        Reply channel = api.get("/api/channels/" + id);
        assertEquals(new java.math.BigDecimal("12.5"), channel.json().path("balance").decimalValue());
        assertEquals("CNY", channel.json().path("balance_currency").asText());
    }

    @Test
    void modelsAreFetchedAsAList() {
        long id = createChannel("{'name':'o','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        Reply r = api.post("/api/channels/" + id + "/fetch-models", "");
        assertEquals(200, r.status(), r.toString());
        assertEquals(json("['gpt-4o','gpt-4o-mini','text-embedding-3-small']"), r.json().path("data"));
        assertEquals(3, r.json().path("total").asInt());
    }

    @Test
    void aTypeWithoutTheOperationIs409() {
        long openai = createChannel("{'name':'o','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        assertError(api.get("/api/channels/" + openai + "/balance"), 409, "unsupported_operation");
        long qwen = createChannel("{'name':'q','type':'qwen','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        assertError(api.post("/api/channels/" + qwen + "/fetch-models", ""), 409, "unsupported_operation");
    }

    @Test
    void aTypeNotInstalledIs409() {
        long id = createChannel("{'name':'later','type':'qianfan','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        Reply r = api.get("/api/channels/" + id + "/balance");
        JsonAssert.contains(assertError(r, 409, "type_not_installed").path("message").asText(), "qianfan");
    }

    @Test
    void anUnknownChannelIs404() {
        assertError(api.get("/api/channels/77/balance"), 404, "not_found");
        assertError(api.post("/api/channels/77/fetch-models", ""), 404, "not_found");
    }
}
