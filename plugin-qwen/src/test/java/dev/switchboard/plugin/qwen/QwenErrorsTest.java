package dev.switchboard.plugin.qwen;

import static dev.switchboard.plugin.qwen.Fixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.UpstreamError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** DashScope's error answers (providers.md 3a and 3b) and the verdict each gets (relay-api.md's table). */
class QwenErrorsTest {

    private static UpstreamError nativeError(int status, String code, String message) {
        String body = "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"request_id\":\"rid-1\"}";
        return QwenErrors.translate(status, body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        // status | DashScope code | client status | code | retryable | disables
        "401 | InvalidApiKey | 502 | upstream_error | true | true",
        "403 | AccessDenied | 502 | upstream_error | true | true",
        "403 | AccessDenied.Unpurchased | 502 | upstream_error | true | true",
        "400 | Arrearage | 502 | upstream_error | true | true",
        "429 | Throttling.AllocationQuota | 502 | upstream_error | true | true",
        "429 | Throttling | 429 | upstream_rate_limited | true | false",
        "429 | Throttling.RateQuota | 429 | upstream_rate_limited | true | false",
        "429 | Throttling.BurstRate | 429 | upstream_rate_limited | true | false",
        "400 | DataInspectionFailed | 400 | content_filter | false | false",
        "400 | InvalidParameter | 400 | invalid_value | false | false",
        "408 | RequestTimeOut | 504 | upstream_timeout | true | false",
        "413 | BadRequest.TooLarge | 413 | body_too_large | false | false",
        "500 | InternalError | 502 | upstream_error | true | false",
        "503 | ServiceUnavailable | 502 | upstream_error | true | false",
    })
    void nativeCodesGetTheContractsVerdict(int status, String code, int clientStatus, String clientCode,
            boolean retryable, boolean disables) {
        UpstreamError e = nativeError(status, code, "the vendor's words");
        assertEquals(clientStatus, e.status(), "status");
        assertEquals(clientCode, e.code(), "code");
        assertEquals(retryable, e.retryable(), "retryable");
        assertEquals(disables, e.disableChannel(), "disables the channel");
        assertEquals(code, e.vendorCode(), "vendor_code");
        assertEquals("[qwen " + code + "] the vendor's words", e.message());
    }

    @Test
    void theRelayContractsExampleMessage() {
        UpstreamError e = nativeError(429, "Throttling.RateQuota", "Requests rate limit exceeded");
        assertEquals("[qwen Throttling.RateQuota] Requests rate limit exceeded", e.message());
        assertEquals("rate_limit_exceeded", e.type());
    }

    @Test
    void inputTooLongIsContextLengthExceeded() {
        UpstreamError e = nativeError(400, "InvalidParameter", "Range of input length should be [1, 30720]");
        assertEquals(400, e.status());
        assertEquals("context_length_exceeded", e.code());
        assertFalse(e.retryable());
    }

    @Test
    void compatibleModeErrorsAreReadFromTheOpenAiShape() {
        String body = "{\"error\":{\"message\":\"Incorrect API key provided. \",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"},\"request_id\":\"rid-2\"}";
        UpstreamError e = QwenErrors.translate(401, body.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(502, e.status(), "a vendor's 401 never reaches the client");
        assertTrue(e.disableChannel());
        assertEquals("invalid_api_key", e.vendorCode());
        assertEquals("[qwen invalid_api_key] Incorrect API key provided.", e.message());

        String filter = "{\"error\":{\"message\":\"Input data may contain inappropriate content.\",\"type\":"
                + "\"data_inspection_failed\",\"param\":null,\"code\":\"data_inspection_failed\"},\"request_id\":\"r\"}";
        UpstreamError f = QwenErrors.translate(400, filter.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(400, f.status());
        assertEquals("content_filter", f.code());

        String limit = "{\"error\":{\"message\":\"Requests rate limit exceeded\",\"type\":\"limit_requests\","
                + "\"param\":null,\"code\":\"limit_requests\"},\"request_id\":\"r\"}";
        UpstreamError l = QwenErrors.translate(429, limit.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(429, l.status());
        assertTrue(l.retryable());
        assertFalse(l.disableChannel());
    }

    @Test
    void anErrorStatusWithAnSseBodyIsReadFromItsDataLine() {
        String body = "id:1\nevent:error\n:HTTP_STATUS/401\ndata:{\"code\":\"InvalidApiKey\",\"message\":"
                + "\"Invalid API-key provided.\",\"request_id\":\"r\"}\n\n";
        UpstreamError e = QwenErrors.translate(401, body.getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals("InvalidApiKey", e.vendorCode());
        assertTrue(e.disableChannel());
        assertEquals("[qwen InvalidApiKey] Invalid API-key provided.", e.message());
    }

    @Test
    void nonJsonBodiesShowTheirFirstLine() {
        UpstreamError e = QwenErrors.translate(502, "<html>Bad Gateway</html>\nmore".getBytes(StandardCharsets.UTF_8),
                JSON);
        assertEquals(502, e.status());
        assertTrue(e.retryable());
        assertEquals("[qwen] <html>Bad Gateway</html>", e.message());
        assertEquals("[qwen] HTTP 500", QwenErrors.translate(500, new byte[0], JSON).message());
    }

    @Test
    void inBandCodesGetTheStatusDashScopeUsesForThem() {
        assertEquals(401, QwenErrors.statusOf("InvalidApiKey"));
        assertEquals(429, QwenErrors.statusOf("Throttling.AllocationQuota"));
        assertEquals(400, QwenErrors.statusOf("DataInspectionFailed"));
        assertEquals(500, QwenErrors.statusOf("InternalError.Algo"));
        UpstreamError e = QwenErrors.inBand(Fixtures.json("{\"code\":\"InternalError.Algo\",\"message\":\"boom\"}"));
        assertEquals(502, e.status());
        assertTrue(e.retryable());
    }
}
