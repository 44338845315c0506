package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Baidu's error answers (v1 error_code, token endpoint, v2 error objects) and the verdict each gets. */
class ErrorsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static UpstreamError v1(long code, String message) {
        return V1Errors.inBody(TestRequest.parse("{\"error_code\":" + code + ",\"error_msg\":\"" + message + "\"}"))
                .orElseThrow();
    }

    private UpstreamError translate(int status, String body) {
        return ErrorBodies.translate(status, body.getBytes(StandardCharsets.UTF_8), mapper);
    }

    @ParameterizedTest(name = "error_code {0} -> {2} {3}, retry {4}, disable {5}, refresh {6}")
    @CsvSource({
            "13, Get service token failed, 502, upstream_error, true, true, false",
            "14, IAM Certification failed, 502, upstream_error, true, true, false",
            "100, Invalid parameter, 502, upstream_error, true, true, false",
            "110, Access token invalid or no longer valid, 502, upstream_error, true, true, true",
            "111, Access token expired, 502, upstream_error, true, false, true",
            "6, No permission to access data, 502, upstream_error, true, true, false",
            "15, No permission, 502, upstream_error, true, true, false",
            "17, Open api daily request limit reached, 502, upstream_error, true, true, false",
            "19, Open api total request limit reached, 502, upstream_error, true, true, false",
            "4, Open api request limit reached, 429, upstream_rate_limited, true, false, false",
            "18, Open api qps request limit reached, 429, upstream_rate_limited, true, false, false",
            "336501, Rate limit reached for RPM, 429, upstream_rate_limited, true, false, false",
            "336502, Rate limit reached for TPM, 429, upstream_rate_limited, true, false, false",
            "336001, Invalid Argument, 400, invalid_value, false, false, false",
            "336002, Invalid JSON, 400, invalid_json, false, false, false",
            "336003, the length of messages must be an odd number, 400, invalid_value, false, false, false",
            "336004, Invalid Argument, 400, invalid_value, false, false, false",
            "336005, API name not exist, 400, invalid_value, false, false, false",
            "336104, the max length of current question is 4800, 400, context_length_exceeded, false, false, false",
            "336105, Invalid Argument, 400, invalid_value, false, false, false",
            "336000, Internal error, 502, upstream_error, true, false, false",
            "336100, try again later, 502, upstream_error, true, false, false",
            "3, Unsupported openapi method, 502, upstream_error, true, false, false",
            "282000, internal error, 502, upstream_error, true, false, false"})
    void v1CodesFollowTheRelayContract(long code, String message, int status, String clientCode, boolean retryable,
            boolean disable, boolean refresh) {
        UpstreamError e = v1(code, message);
        assertEquals(status, e.status());
        assertEquals(clientCode, e.code());
        assertEquals(retryable, e.retryable(), "retryable");
        assertEquals(disable, e.disableChannel(), "disable");
        assertEquals(refresh, e.refreshAndRetry(), "refresh");
        assertEquals(String.valueOf(code), e.vendorCode());
        assertEquals("[qianfan " + code + "] " + message, e.message());
        assertEquals(status == 429 ? "rate_limit_exceeded" : status == 400 ? "invalid_request_error" : "upstream_error",
                e.type());
    }

    @Test
    void everyV1BodyIsCheckedWhateverTheStatus() {
        UpstreamError e = translate(200, "{\"error_code\":18,\"error_msg\":\"Open api qps request limit reached\"}");
        assertEquals(429, e.status());
        assertTrue(V1Errors.inBody(TestRequest.parse("{\"result\":\"ok\"}")).isEmpty());
        assertEquals("336003", V1Errors.inBody(TestRequest.parse("{\"error_code\":\"336003\",\"error_msg\":\"x\"}"))
                .orElseThrow().vendorCode(), "a code written as a string is read too");
    }

    @Test
    void aRefusedTokenExchangeDisablesTheChannelWithBaidusDescription() {
        UpstreamError e = translate(401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client id\"}");
        assertEquals(502, e.status(), "never a 401 for a vendor key");
        assertTrue(e.disableChannel());
        assertEquals("invalid_client", e.vendorCode());
        assertEquals("[qianfan invalid_client] unknown client id", e.message());
    }

    @ParameterizedTest(name = "v2 {0} {1} -> {2} {3}")
    @CsvSource({
            "400, malformed_json, 400, invalid_json, false, false",
            "400, invalid_messages, 400, invalid_messages, false, false",
            "400, tokens_too_long, 400, context_length_exceeded, false, false",
            "400, invalid_model, 404, model_not_found, true, false",
            "401, access_denied, 502, upstream_error, true, true",
            "403, no_permission, 502, upstream_error, true, true",
            "429, rpm_rate_limit_exceeded, 429, upstream_rate_limited, true, false",
            "400, tpm_rate_limit_exceeded, 429, upstream_rate_limited, true, false",
            "200, rpm_rate_limit_exceeded, 429, upstream_rate_limited, true, false",
            "500, internal_error, 502, upstream_error, true, false",
            "503, server_busy, 502, upstream_error, true, false"})
    void v2ErrorsAreJudgedByTheirCodeWhateverTheStatus(int status, String code, int clientStatus, String clientCode,
            boolean retryable, boolean disable) {
        UpstreamError e = translate(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"Invalid Argument\","
                + "\"type\":\"invalid_request_error\"},\"id\":\"as-xyz\"}");
        assertEquals(clientStatus, e.status());
        assertEquals(clientCode, e.code());
        assertEquals(retryable, e.retryable());
        assertEquals(disable, e.disableChannel());
        assertEquals(code, e.vendorCode());
        assertEquals("[qianfan " + code + "] Invalid Argument", e.message());
    }

    @Test
    void bodiesInNoKnownShapeAreJudgedByStatus() {
        UpstreamError html = translate(502, "<html><body>Bad Gateway</body></html>\nmore");
        assertEquals(502, html.status());
        assertTrue(html.retryable());
        assertEquals("[qianfan] <html><body>Bad Gateway</body></html>", html.message());
        assertTrue(translate(401, "").disableChannel());
        assertEquals(429, translate(429, "slow down").status());
        UpstreamError bad = translate(400, "nope");
        assertEquals(400, bad.status());
        assertFalse(bad.retryable());
    }
}
