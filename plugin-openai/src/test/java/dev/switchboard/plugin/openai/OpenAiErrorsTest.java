package dev.switchboard.plugin.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OpenAI's error answers, as the specs give them, and the verdict each gets. */
class OpenAiErrorsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private UpstreamError translate(int status, String body) {
        return OpenAiErrors.translate("openai", status, body.getBytes(StandardCharsets.UTF_8), mapper);
    }

    private static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    @Test
    void aRejectedKeyIsTheChannelsFaultAndDisablesIt() {
        UpstreamError e = translate(401, error("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
        assertEquals(502, e.status(), "a vendor's 401 never reaches the client");
        assertEquals("upstream_error", e.code());
        assertTrue(e.disableChannel());
        assertTrue(e.retryable());
        assertEquals("invalid_api_key", e.vendorCode());
        assertEquals("[openai invalid_api_key] Incorrect API key provided", e.message());
    }

    @Test
    void quotaExhaustedDisablesWhileARateLimitOnlyMovesOn() {
        UpstreamError quota = translate(429, error("You exceeded your current quota", "insufficient_quota",
                "insufficient_quota"));
        assertTrue(quota.disableChannel());
        assertEquals(502, quota.status());

        UpstreamError rate = translate(429, error("Rate limit reached", "requests", "rate_limit_exceeded"));
        assertFalse(rate.disableChannel());
        assertTrue(rate.retryable());
        assertEquals(429, rate.status());
        assertEquals("upstream_rate_limited", rate.code());
        assertEquals("rate_limit_exceeded", rate.type());
    }

    @Test
    void theCallersMistakesPassThroughWithTheirStatus() {
        UpstreamError e = translate(400, error("This model's maximum context length is 8192 tokens",
                "invalid_request_error", "context_length_exceeded"));
        assertEquals(400, e.status());
        assertEquals("context_length_exceeded", e.code());
        assertEquals("invalid_request_error", e.type());
        assertFalse(e.retryable());
        assertFalse(e.disableChannel());
    }

    @Test
    void aModelMissingUpstreamMayExistOnAnotherChannel() {
        UpstreamError e = translate(404, error("The model `gpt-9` does not exist", "invalid_request_error",
                "model_not_found"));
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.code());
        assertTrue(e.retryable());
    }

    @Test
    void serverErrorsAndNonJsonBodiesAreRetryable502s() {
        UpstreamError e = translate(503, "<html><body>Service Unavailable</body></html>\nmore");
        assertEquals(502, e.status());
        assertTrue(e.retryable());
        assertEquals("[openai] <html><body>Service Unavailable</body></html>", e.message());

        UpstreamError empty = translate(500, "");
        assertEquals("[openai] HTTP 500", empty.message());
    }
}
