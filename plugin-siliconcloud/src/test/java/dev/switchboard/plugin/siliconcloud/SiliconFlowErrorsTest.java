package dev.switchboard.plugin.siliconcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.UpstreamError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SiliconFlow's error bodies from providers.md section 4, and the verdict each gets. */
class SiliconFlowErrorsTest {

    private static UpstreamError translate(int status, String body) {
        return SiliconFlowErrors.translate(status, body.getBytes(StandardCharsets.UTF_8), Fixtures.JSON);
    }

    private static void channelsFault(UpstreamError e) {
        assertEquals(502, e.status(), "a vendor's key or balance problem never reaches the client as such");
        assertEquals("upstream_error", e.code());
        assertEquals("upstream_error", e.type());
        assertTrue(e.disableChannel());
        assertTrue(e.retryable());
    }

    @Test
    void aBareStringRejectingTheKeyDisablesTheChannel() {
        UpstreamError e = translate(401, "\"Api key is invalid\"");
        channelsFault(e);
        assertNull(e.vendorCode());
        assertEquals("[siliconcloud] Api key is invalid", e.message());
    }

    @Test
    void anOpenAiShaped401AlsoDisables() {
        UpstreamError e = translate(401, "{\"error\":{\"message\":\"Invalid token\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}");
        channelsFault(e);
        assertEquals("invalid_api_key", e.vendorCode());
        assertEquals("[siliconcloud invalid_api_key] Invalid token", e.message());
    }

    @Test
    void theKeyMessageIsRecognisedWhateverTheStatus() {
        channelsFault(translate(403, "\"Api key is invalid\""));
        channelsFault(translate(400, "\"Api key is invalid\""));
    }

    @Test
    void anEmptyBalanceDisablesTheChannelOn402AndOnTheOlder403() {
        String body = "{\"code\":30001,\"message\":\"Sorry, your account balance is insufficient\",\"data\":null}";
        for (int status : new int[] {402, 403}) {
            UpstreamError e = translate(status, body);
            channelsFault(e);
            assertEquals("30001", e.vendorCode(), "the vendor's code as a string");
            assertEquals("[siliconcloud 30001] Sorry, your account balance is insufficient", e.message());
        }
        channelsFault(translate(402, ""));
    }

    @Test
    void aDisabledModelIsSkippedNotTheChannel() {
        UpstreamError e = translate(403, "{\"code\":30003,\"message\":\"Model disabled.\",\"data\":null}");
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.code());
        assertEquals("invalid_request_error", e.type());
        assertTrue(e.retryable(), "another channel may serve the model");
        assertFalse(e.disableChannel());
        assertEquals("30003", e.vendorCode());
        assertEquals("[siliconcloud 30003] Model disabled.", e.message());
    }

    @Test
    void aModelThatDoesNotExistIsA404ModelNotFound() {
        UpstreamError e = translate(400, "{\"code\":20012,\"message\":\"Model does not exist. Please check it "
                + "carefully.\",\"data\":null}");
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.code());
        assertTrue(e.retryable());
        assertFalse(e.disableChannel());
        assertEquals("20012", e.vendorCode());
    }

    @Test
    void busyAndRateLimitedAreRetryable429s() {
        UpstreamError busy = translate(503, "{\"code\":50603,\"message\":\"System is really busy, please try again "
                + "later\",\"data\":null}");
        UpstreamError rate = translate(429, "{\"code\":50603,\"message\":\"Request was rejected due to rate "
                + "limiting. Details: TPM limit reached.\",\"data\":null}");
        UpstreamError plain = translate(503, "\"System is really busy\"");
        for (UpstreamError e : new UpstreamError[] {busy, rate, plain}) {
            assertEquals(429, e.status(), e.message());
            assertEquals("upstream_rate_limited", e.code());
            assertEquals("rate_limit_exceeded", e.type());
            assertTrue(e.retryable());
            assertFalse(e.disableChannel());
        }
        assertEquals("50603", busy.vendorCode());
        assertTrue(busy.message().startsWith("[siliconcloud 50603] System is really busy"));
        assertNull(plain.vendorCode());
    }

    @Test
    void otherForbiddenAnswersAreTheAccountsFault() {
        channelsFault(translate(403, "{\"code\":30011,\"message\":\"The account is not verified\",\"data\":null}"));
    }

    @Test
    void serverErrorsAndNonJsonBodiesAreRetryable502s() {
        UpstreamError e = translate(500, "<html><body>Internal Server Error</body></html>\nmore");
        assertEquals(502, e.status());
        assertEquals("upstream_error", e.code());
        assertTrue(e.retryable());
        assertFalse(e.disableChannel());
        assertEquals("[siliconcloud] <html><body>Internal Server Error</body></html>", e.message());
        assertEquals("[siliconcloud] HTTP 502", translate(502, "").message());
    }

    @Test
    void aPathTheUpstreamDoesNotKnowIsTheChannelsBaseUrlNotTheClientsRoute() {
        UpstreamError e = translate(404, "{\"code\":20001,\"message\":\"Not Found\",\"data\":null}");
        assertEquals(502, e.status());
        assertEquals("upstream_error", e.code());
        assertTrue(e.retryable());
        assertFalse(e.disableChannel());
        UpstreamError model = translate(404, "{\"message\":\"The model `x` does not exist\"}");
        assertEquals(404, model.status());
        assertEquals("model_not_found", model.code());
        assertTrue(model.retryable());
    }

    @Test
    void theCallersMistakesKeepTheirStatusAndAreNotRetried() {
        UpstreamError e = translate(400, "{\"code\":20015,\"message\":\"max_tokens is too large, the context "
                + "length of this model is 32768\",\"data\":null}");
        assertEquals(400, e.status());
        assertEquals("context_length_exceeded", e.code());
        assertEquals("invalid_request_error", e.type());
        assertEquals("20015", e.vendorCode());
        assertFalse(e.retryable());
        assertFalse(e.disableChannel());

        UpstreamError other = translate(422, "{\"code\":20015,\"message\":\"Input validation error\",\"data\":null}");
        assertEquals(422, other.status());
        assertEquals("invalid_request", other.code(), "a numeric vendor code is never the client's code");

        UpstreamError filtered = translate(400, "{\"code\":20013,\"message\":\"The input contains sensitive "
                + "words\",\"data\":null}");
        assertEquals("content_filter", filtered.code());
    }

    @Test
    void anErrorInsideASuccessfulAnswerIsA502() {
        UpstreamError e = SiliconFlowErrors.translate(200, Fixtures.json("{\"code\":50000,\"message\":\"oops\"}"),
                "{}");
        assertEquals(502, e.status());
        assertTrue(e.retryable());
        assertEquals("50000", e.vendorCode());
    }

    @Test
    void longMessagesAreCut() {
        UpstreamError e = translate(400, "\"" + "x".repeat(2000) + "\"");
        assertTrue(e.message().length() < 600, e.message().length() + " characters");
        assertTrue(e.message().endsWith("..."));
    }
}
