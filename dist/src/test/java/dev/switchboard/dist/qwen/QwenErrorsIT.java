package dev.switchboard.dist.qwen;

import static dev.switchboard.dist.qwen.QwenGateway.obj;
import static dev.switchboard.dist.qwen.QwenGateway.userSays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each DashScope error class as the client sees it: status, code, vendor_code, message, channel_id; in both modes,
 * and inside streams. Every code has its own channel, so one that disables its channel spoils no other test.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QwenErrorsIT {

    private static final List<String> CODES = List.of("InvalidApiKey", "AccessDenied", "AccessDenied.Unpurchased",
            "Arrearage", "Throttling.AllocationQuota", "Throttling", "Throttling.RateQuota", "Throttling.BurstRate",
            "DataInspectionFailed", "InvalidParameter", "RequestTimeOut", "BadRequest.TooLarge", "InternalError",
            "ServiceUnavailable");

    private QwenGateway gw;
    private final Map<String, Long> channels = new LinkedHashMap<>();

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = new QwenGateway(tmp);
        for (String code : CODES) {
            channels.put("native-" + code, gw.channel("native " + code, FakeDashScope.GOOD_KEY, "",
                    Map.of("mode", "native"), Map.of("native-" + code, "fail-" + code), 0));
            channels.put("compat-" + code, gw.channel("compatible " + code, FakeDashScope.GOOD_KEY, "", Map.of(),
                    Map.of("compat-" + code, "fail-" + code), 0));
        }
        channels.put("revoked", gw.channel("revoked key", FakeDashScope.REVOKED_KEY, "", Map.of(),
                Map.of("revoked-plus", "qwen-plus"), 0));
        channels.put("inband", gw.channel("native in-band errors", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("inband-late", "inband-late", "inband-early", "inband-early"), 0));
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @ParameterizedTest(name = "{0} mode {1}")
    @CsvSource(delimiter = '|', value = {
        // mode | DashScope code | client status | type | code
        "native | InvalidApiKey | 502 | upstream_error | upstream_error",
        "native | AccessDenied | 502 | upstream_error | upstream_error",
        "native | AccessDenied.Unpurchased | 502 | upstream_error | upstream_error",
        "native | Arrearage | 502 | upstream_error | upstream_error",
        "native | Throttling.AllocationQuota | 502 | upstream_error | upstream_error",
        "native | Throttling | 429 | rate_limit_exceeded | upstream_rate_limited",
        "native | Throttling.RateQuota | 429 | rate_limit_exceeded | upstream_rate_limited",
        "native | Throttling.BurstRate | 429 | rate_limit_exceeded | upstream_rate_limited",
        "native | DataInspectionFailed | 400 | invalid_request_error | content_filter",
        "native | InvalidParameter | 400 | invalid_request_error | invalid_value",
        "native | RequestTimeOut | 504 | upstream_error | upstream_timeout",
        "native | BadRequest.TooLarge | 413 | invalid_request_error | body_too_large",
        "native | InternalError | 502 | upstream_error | upstream_error",
        "native | ServiceUnavailable | 502 | upstream_error | upstream_error",
        "compat | InvalidApiKey | 502 | upstream_error | upstream_error",
        "compat | Arrearage | 502 | upstream_error | upstream_error",
        "compat | Throttling.RateQuota | 429 | rate_limit_exceeded | upstream_rate_limited",
        "compat | DataInspectionFailed | 400 | invalid_request_error | content_filter",
        "compat | InvalidParameter | 400 | invalid_request_error | invalid_value",
        "compat | InternalError | 502 | upstream_error | upstream_error",
    })
    void eachErrorClass(String mode, String vendorCode, int status, String type, String code) {
        String model = mode + "-" + vendorCode;
        QwenGateway.Reply r = gw.chat(obj("model", model, "messages", userSays("Hi")));
        assertEquals(status, r.status(), r.toString());
        JsonNode e = r.json().path("error");
        assertEquals(type, e.path("type").asText(), r.toString());
        assertEquals(code, e.path("code").asText(), r.toString());
        String shownCode = mode.equals("compat") && vendorCode.equals("InvalidApiKey") ? "invalid_api_key" : vendorCode;
        assertEquals(shownCode, e.path("vendor_code").asText(), r.toString());
        assertEquals("[qwen " + shownCode + "] fake DashScope says " + vendorCode, e.path("message").asText());
        assertEquals((long) channels.get(model), e.path("channel_id").asLong(), r.toString());
        assertEquals(String.valueOf(status), gw.logLine(r.requestId()).get("status"));
    }

    @Test
    void aStreamedRequestGetsAProperStatusForAnUpfrontError() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-Throttling.RateQuota", "messages", userSays("Hi"),
                "stream", true));
        assertEquals(429, r.status(), r.toString());
        assertEquals("upstream_rate_limited", r.json().path("error").path("code").asText());
    }

    @Test
    void aRevokedVendorKeyNeverReachesTheClientAsA401() {
        QwenGateway.Reply r = gw.chat(obj("model", "revoked-plus", "messages", userSays("Hi")));
        assertEquals(502, r.status(), r.toString());
        assertEquals("invalid_api_key", r.json().path("error").path("vendor_code").asText());
        assertFalse(r.body().contains(FakeDashScope.REVOKED_KEY), "the key is never shown");
    }

    @Test
    void anInBandErrorAfterContentEndsTheStreamWithAnErrorEvent() {
        QwenGateway.Reply r = gw.chat(obj("model", "inband-late", "messages", userSays("Hi"), "stream", true));
        assertEquals(200, r.status(), "the stream had started: " + r);
        List<String> events = r.events();
        assertEquals("[DONE]", events.get(events.size() - 1), r.toString());
        List<JsonNode> chunks = r.chunks();
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("content_filter", last.path("error").path("code").asText(), r.toString());
        assertEquals("DataInspectionFailed", last.path("error").path("vendor_code").asText());
        assertTrue(last.path("error").path("message").asText().startsWith("[qwen DataInspectionFailed] Output data"),
                last.toString());
        StringBuilder before = new StringBuilder();
        chunks.forEach(c -> before.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        assertEquals("Hello from", before.toString(), "the content before the error reached the client");
    }

    @Test
    void anInBandErrorAsTheFirstEventIsAProperStatus() {
        QwenGateway.Reply r = gw.chat(obj("model", "inband-early", "messages", userSays("Hi"), "stream", true));
        assertEquals(429, r.status(), r.toString());
        JsonNode e = r.json().path("error");
        assertEquals("upstream_rate_limited", e.path("code").asText());
        assertEquals("Throttling.RateQuota", e.path("vendor_code").asText());
        assertTrue(e.path("message").asText().startsWith("[qwen Throttling.RateQuota] Requests rate limit exceeded"),
                e.toString());
    }
}
