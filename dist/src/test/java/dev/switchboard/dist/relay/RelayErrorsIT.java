package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.assertError;
import static dev.switchboard.dist.relay.RelayGateway.obj;
import static dev.switchboard.dist.relay.RelayGateway.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every row of the relay contract's error table that the gateway implements, each answered in OpenAI's error
 * shape with a string code, an {@code X-Request-Id}, no stack trace and (checked at the end over every answer and
 * the gateway's output) never the vendor key. Runs with {@code limits.max_body=64KiB},
 * {@code limits.max_audio=2MiB} and {@code timeout.first_byte=1s}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayErrorsIT {

    private static final String OK = "gpt-ok-e2e";
    private static final String OTHER = "gpt-other-e2e";
    private static final String BAD_KEY = "gpt-badkey-e2e";
    private static final String REFUSED = "gpt-refused-e2e";
    /** A model served only by a channel whose type no plugin provides (the distribution ships no 'acme'). */
    private static final String UNINSTALLED = "acme-max-e2e";
    private static final String DISABLED = "gpt-disabled-e2e";
    private static final String CHAT = "/v1/chat/completions";

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of("SWITCHBOARD_LIMITS_MAX_BODY", "64KiB",
            "SWITCHBOARD_LIMITS_MAX_AUDIO", "2MiB", "SWITCHBOARD_TIMEOUT_FIRST_BYTE", "1s"));

    static long okChannel;
    static long badKeyChannel;
    static RelayGateway.Token good;
    static RelayGateway.Token disabled;
    static RelayGateway.Token expired;
    static RelayGateway.Token exhausted;
    static RelayGateway.Token restricted;
    static RelayGateway.Token subnet;
    static RelayGateway.Token limited;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        okChannel = relay.gw().channel(obj("name", "fake openai", "type", "openai",
                "base_url", relay.fake().baseUrl(), "models", List.of(OK, OTHER)));
        badKeyChannel = relay.gw().channel(obj("name", "bad key", "type", "openai",
                "base_url", relay.fake().baseUrl(), "models", List.of(BAD_KEY)));
        relay.gw().channel(obj("name", "closed port", "type", "openai",
                "base_url", "http://127.0.0.1:" + closedPort + "/v1", "models", List.of(REFUSED)));
        relay.gw().channel(obj("name", "acme before its plugin", "type", "acme", "models", List.of(UNINSTALLED)));
        relay.gw().channel(obj("name", "switched off", "type", "openai", "base_url", relay.fake().baseUrl(),
                "status", "disabled", "models", List.of(DISABLED)));

        good = relay.gw().token(obj("name", "good"));
        disabled = relay.gw().token(obj("name", "disabled"));
        RelayGateway.Answer put = relay.gw().admin("PUT", "/api/tokens/" + disabled.id(), obj("status", "disabled"));
        assertEquals(200, put.status(), put.toString());
        expired = relay.gw().token(obj("name", "expired", "expires_at", Instant.now().getEpochSecond() - 3600));
        exhausted = relay.gw().token(obj("name", "exhausted", "unlimited_quota", false, "remain_quota", 0));
        restricted = relay.gw().token(obj("name", "restricted", "models", List.of(OK)));
        subnet = relay.gw().token(obj("name", "subnet", "subnets", List.of("10.0.0.0/8")));
        limited = relay.gw().token(obj("name", "two a minute", "rpm", 2));
    }

    @BeforeEach
    void reset() {
        relay.fake().on(CHAT, Reply.json(Shapes.completion(OK, "fine", 3, 1)));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static void assertNoUpstreamCall() {
        assertTrue(relay.fake().requests().isEmpty(), "the upstream was not called: " + relay.fake().requests());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tokens

    @Test
    void sanityTheGoodTokenWorks() {
        RelayGateway.Answer a = relay.gw().post(CHAT, good.key(), chat(OK));
        assertEquals(200, a.status(), a.toString());
    }

    @Test
    void missingToken() {
        assertError(relay.gw().post(CHAT, null, chat(OK)), 401, "invalid_request_error", "invalid_api_key");
        assertNoUpstreamCall();
    }

    @Test
    void unknownToken() {
        assertError(relay.gw().post(CHAT, "sk-not-a-switchboard-token-0123456789abcdef", chat(OK)), 401,
                "invalid_request_error", "invalid_api_key");
        assertNoUpstreamCall();
    }

    @Test
    void disabledToken() {
        assertError(relay.gw().post(CHAT, disabled.key(), chat(OK)), 401, "invalid_request_error", "invalid_api_key");
        assertNoUpstreamCall();
    }

    @Test
    void expiredToken() {
        assertError(relay.gw().post(CHAT, expired.key(), chat(OK)), 401, "invalid_request_error", "token_expired");
        assertNoUpstreamCall();
    }

    @Test
    void exhaustedToken() {
        assertError(relay.gw().post(CHAT, exhausted.key(), chat(OK)), 429, "insufficient_quota", "insufficient_quota");
        assertNoUpstreamCall();
    }

    @Test
    void modelNotAllowedForTheToken() {
        assertEquals(200, relay.gw().post(CHAT, restricted.key(), chat(OK)).status(), "its own model is fine");
        relay.fake().reset();
        JsonNode e = assertError(relay.gw().post(CHAT, restricted.key(), chat(OTHER)), 403, "permission_error",
                "model_not_allowed");
        assertTrue(e.path("message").asText().contains(OTHER), e.toString());
        assertNoUpstreamCall();
    }

    @Test
    void subnetRefused() {
        assertError(relay.gw().post(CHAT, subnet.key(), chat(OK)), 403, "permission_error", "ip_not_allowed");
        assertNoUpstreamCall();
    }

    @Test
    void tokenRateLimit() {
        for (int i = 0; i < 2; i++) {
            assertEquals(200, relay.gw().post(CHAT, limited.key(), chat(OK)).status(), "request " + (i + 1) + " of 2");
        }
        RelayGateway.Answer a = relay.gw().post(CHAT, limited.key(), chat(OK));
        assertError(a, 429, "rate_limit_exceeded", "rate_limit_exceeded");
        assertTrue(a.header("Retry-After") != null, "Retry-After: " + a.headers());
        assertEquals(2, relay.fake().requests().size(), "the third request never reached the upstream");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bodies

    @Test
    void malformedJson() {
        JsonNode e = assertError(
                relay.gw().post(CHAT, good.key(), "{\"model\":\"" + OK + "\",\"messages\":[{\"role\":"),
                400, "invalid_request_error", "invalid_json");
        assertTrue(e.path("param").isNull(), e.toString());
        assertError(relay.gw().post(CHAT, good.key(), "[" + chat(OK) + "]"), 400, "invalid_request_error",
                "invalid_json");
        assertError(relay.gw().post(CHAT, good.key(), chat(OK) + " {}"), 400, "invalid_request_error", "invalid_json");
        assertError(relay.gw().post(CHAT, good.key(), ""), 400, "invalid_request_error", "invalid_json");
        assertNoUpstreamCall();
    }

    @Test
    void messagesNotAnArray() {
        JsonNode e = assertError(
                relay.gw().post(CHAT, good.key(), "{\"model\":\"" + OK + "\",\"messages\":\"hi\"}"), 400,
                "invalid_request_error", "invalid_value");
        assertEquals("messages", e.path("param").asText(), e.toString());
        e = assertError(relay.gw().post(CHAT, good.key(), "{\"model\":\"" + OK + "\",\"messages\":[]}"), 400,
                "invalid_request_error", "invalid_value");
        assertEquals("messages", e.path("param").asText(), e.toString());
        e = assertError(relay.gw().post(CHAT, good.key(), "{\"model\":\"" + OK + "\"}"), 400, "invalid_request_error",
                "missing_field");
        assertEquals("messages", e.path("param").asText(), e.toString());
        assertNoUpstreamCall();
    }

    @Test
    void modelNotAString() {
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), "{\"model\":42,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}"), 400, "invalid_request_error", "invalid_value");
        assertEquals("model", e.path("param").asText(), e.toString());
        e = assertError(
                relay.gw().post(CHAT, good.key(), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                "invalid_request_error", "missing_field");
        assertEquals("model", e.path("param").asText(), e.toString());
        assertNoUpstreamCall();
    }

    @Test
    void invalidUtf8AndDeepNestingAre400() {
        byte[] head = ("{\"model\":\"" + OK + "\",\"messages\":[{\"role\":\"user\",\"content\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, bad, 0, head.length);
        bad[head.length] = (byte) 0xC3;
        bad[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, bad, head.length + 2, tail.length);
        RelayGateway.Answer a = relay.gw().send(relay.gw().request(CHAT).header("Authorization", "Bearer " + good.key())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bad)));
        assertError(a, 400, "invalid_request_error", "invalid_json");

        String deep = "[".repeat(80) + "]".repeat(80);
        assertError(relay.gw().post(CHAT, good.key(), "{\"model\":\"" + OK + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"x\":" + deep + "}"), 400, "invalid_request_error", "invalid_json");
        assertNoUpstreamCall();
    }

    private static String bigChat(int size) {
        return "{\"model\":\"" + OK + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(size)
                + "\"}]}";
    }

    @Test
    void bodyTooLarge() {
        assertEquals(200, relay.gw().post(CHAT, good.key(), bigChat(60_000)).status(), "just under 64 KiB is fine");
        relay.fake().reset();
        assertError(relay.gw().post(CHAT, good.key(), bigChat(100_000)), 413, "invalid_request_error",
                "body_too_large");
        assertNoUpstreamCall();
    }

    @Test
    void bodyTooLargeWithoutContentLength() {
        byte[] big = bigChat(100_000).getBytes(StandardCharsets.UTF_8);
        // A publisher of unknown length: the body goes chunked, so only reading it can tell its size.
        RelayGateway.Answer a = relay.gw().send(relay.gw().request(CHAT).header("Authorization", "Bearer " + good.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertError(a, 413, "invalid_request_error", "body_too_large");
        assertNoUpstreamCall();
    }

    private static byte[] upload(String boundary, int fileSize, boolean withModel) {
        List<Multipart.Part> parts = new java.util.ArrayList<>();
        parts.add(Multipart.Part.file("file", "a.mp3", "audio/mpeg", new byte[fileSize]));
        if (withModel) {
            parts.add(Multipart.Part.field("model", OK));
        }
        return Multipart.build(boundary, parts);
    }

    @Test
    void uploadTooLarge() {
        byte[] body = upload("e2e-big", 3 * 1024 * 1024, true);
        RelayGateway.Answer a = relay.gw().send(relay.gw().request("/v1/audio/transcriptions")
                .header("Authorization", "Bearer " + good.key())
                .header("Content-Type", "multipart/form-data; boundary=e2e-big")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertError(a, 413, "invalid_request_error", "body_too_large");
        // Without a declared length the gateway finds out mid-upload: it answers 413 and closes the connection
        // while the client may still be sending, so the client sees the 413 or, if the close reaches it first,
        // a reset (as with nginx). Either way nothing goes upstream.
        try {
            a = relay.gw().send(relay.gw().request("/v1/audio/transcriptions")
                    .header("Authorization", "Bearer " + good.key())
                    .header("Content-Type", "multipart/form-data; boundary=e2e-big")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
            assertError(a, 413, "invalid_request_error", "body_too_large");
        } catch (java.io.UncheckedIOException closedWhileSending) {
            assertTrue(closedWhileSending.getCause() instanceof java.io.IOException, closedWhileSending.toString());
        }
        assertNoUpstreamCall();
    }

    @Test
    void uploadWithoutModelOrNotMultipart() {
        RelayGateway.Answer a = relay.gw().send(relay.gw().request("/v1/audio/transcriptions")
                .header("Authorization", "Bearer " + good.key())
                .header("Content-Type", "multipart/form-data; boundary=e2e-nomodel")
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload("e2e-nomodel", 1000, false))));
        JsonNode e = assertError(a, 400, "invalid_request_error", "missing_field");
        assertEquals("model", e.path("param").asText(), e.toString());
        a = relay.gw().post("/v1/audio/transcriptions", good.key(), "{\"model\":\"" + OK + "\",\"file\":\"x\"}");
        assertEquals(400, a.status(), a.toString());
        RelayGateway.assertErrorShape(a.json(), "invalid_request_error", a.json().path("error").path("code").asText(),
                a.text());
        assertNoUpstreamCall();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes

    @Test
    void unknownRoute() {
        assertError(relay.gw().post("/v1/chat/complete", good.key(), chat(OK)), 404, "invalid_request_error",
                "unknown_url");
        assertError(relay.gw().get("/v1/dashboard/billing/usage", good.key()), 404, "invalid_request_error",
                "unknown_url");
        assertError(relay.gw().send(relay.gw().request("/v1/assistants").header("Authorization", "Bearer " + good.key())
                .DELETE()), 404, "invalid_request_error", "unknown_url");
        assertNoUpstreamCall();
    }

    @Test
    void wrongMethod() {
        RelayGateway.Answer a = relay.gw().get(CHAT, good.key());
        assertError(a, 405, "invalid_request_error", "method_not_allowed");
        assertEquals("POST", a.header("Allow"), a.headers().toString());
        a = relay.gw().post("/v1/models", good.key(), "{}");
        assertError(a, 405, "invalid_request_error", "method_not_allowed");
        assertEquals("GET", a.header("Allow"), a.headers().toString());
        assertNoUpstreamCall();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routing

    @Test
    void noChannelListsTheModel() {
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat("gpt-nobody-serves")), 404,
                "invalid_request_error", "model_not_found");
        assertTrue(e.path("message").asText().contains("no available channel for model gpt-nobody-serves"),
                e.toString());
        assertNoUpstreamCall();
    }

    @Test
    void channelTypeNotInstalled() {
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(UNINSTALLED)), 503, "server_error",
                "no_available_channel");
        assertTrue(e.path("message").asText().contains("channel type 'acme' is not installed"), e.toString());
    }

    @Test
    void disabledChannel() {
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(DISABLED)), 503, "server_error",
                "no_available_channel");
        assertTrue(e.path("message").asText().contains("disabled"), "the message says why: " + e);
        assertNoUpstreamCall();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Upstream errors

    @Test
    void upstreamContextLengthExceededIsTheCallersError() {
        String vendorMessage = "This model's maximum context length is 128000 tokens. However, your messages "
                + "resulted in 130412 tokens. Please reduce the length of the messages.";
        relay.fake().on(CHAT,
                Reply.error(400, "invalid_request_error", "context_length_exceeded", "messages", vendorMessage));
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(OK)), 400, "invalid_request_error",
                "context_length_exceeded");
        assertEquals("context_length_exceeded", e.path("vendor_code").asText(), e.toString());
        assertEquals(okChannel, e.path("channel_id").asLong(-1), e.toString());
        assertTrue(e.path("message").asText().contains(vendorMessage), "the vendor's message: " + e);
        assertEquals(1, relay.fake().requests().size(), "a caller's error is not retried: " + relay.fake().requests());
    }

    @Test
    void upstreamInvalidKeyNeverReachesTheClientAs401() {
        String masked = RelayGateway.VENDOR_KEY.substring(0, 7) + "*".repeat(20)
                + RelayGateway.VENDOR_KEY.substring(RelayGateway.VENDOR_KEY.length() - 4);
        relay.fake().on(CHAT, Reply.error(401, "invalid_request_error", "invalid_api_key", null,
                "Incorrect API key provided: " + masked + ". You can find your API key at https://example.invalid."));
        RelayGateway.Answer a = relay.gw().post(CHAT, good.key(), chat(BAD_KEY));
        assertNotEquals(401, a.status(), "a vendor's 401 is the channel's fault: " + a);
        JsonNode e = assertError(a, 502, "upstream_error", "upstream_error");
        assertEquals(badKeyChannel, e.path("channel_id").asLong(-1), e.toString());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, relay.fake().requests().get(0).header("Authorization"));
    }

    @Test
    void upstreamRateLimit() {
        relay.fake().on(CHAT, Reply.error(429, "requests", "rate_limit_exceeded", null,
                "Rate limit reached for gpt-4o in organization org-e2e on requests per min (RPM): Limit 3, Used 3, "
                + "Requested 1. Please try again in 20s.").header("retry-after", "20"));
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(OK)), 429, "rate_limit_exceeded",
                "upstream_rate_limited");
        assertEquals("rate_limit_exceeded", e.path("vendor_code").asText(), e.toString());
        assertTrue(e.path("message").asText().contains("Rate limit reached"), e.toString());
    }

    @Test
    void upstreamServerError() {
        relay.fake().on(CHAT, Reply.error(500, "server_error", null, null,
                "The server had an error while processing your request. Sorry about that!"));
        RelayGateway.Answer a = relay.gw().post(CHAT, good.key(), chat(OK));
        JsonNode e = assertError(a, 502, "upstream_error", "upstream_error");
        assertEquals(okChannel, e.path("channel_id").asLong(-1), e.toString());
        List<String> log = relay.gw().requestLogLines(a.header("X-Request-Id"));
        assertEquals(1, log.size(), "one request log line: " + log);
        assertTrue(log.get(0).contains("status=502"), log.get(0));
    }

    @Test
    void streamRequestAnsweredWithAnUpstreamErrorGetsAPlainErrorAnswer() {
        relay.fake().on(CHAT,
                Reply.error(429, "requests", "rate_limit_exceeded", null, "Rate limit reached for requests"));
        RawClient c = RawClient.post(relay.gw().port(), CHAT, good.key(), "{\"model\":\"" + OK + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        StringBuilder body = new StringBuilder();
        c.readAll().forEach(l -> body.append(l.text()).append('\n'));
        c.close();
        relay.gw().record(body.toString());
        assertEquals(429, c.status(), "the upstream's refusal before any event is a proper status: " + body);
        assertTrue(c.header("content-type").startsWith("application/json"), c.headers().toString());
        RelayGateway.assertErrorShape(parse(body.toString()), "rate_limit_exceeded", "upstream_rate_limited",
                body.toString());
    }

    @Test
    void upstreamHtmlErrorPage() {
        relay.fake().on(CHAT, Reply.bytes("text/html", "<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"
                .getBytes(StandardCharsets.UTF_8)).status(502));
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(OK)), 502, "upstream_error", "upstream_error");
        assertFalse(e.path("message").asText().contains("<html>") && e.path("message").asText().length() > 1000,
                e.toString());
    }

    @Test
    void connectionRefused() {
        JsonNode e = assertError(relay.gw().post(CHAT, good.key(), chat(REFUSED)), 502, "upstream_error",
                "upstream_error");
        assertTrue(e.has("channel_id"), e.toString());
    }

    @Test
    void firstByteTimeout() {
        relay.fake().on(CHAT, Reply.json(Shapes.completion(OK, "too late", 3, 2)).delay(3000));
        long t0 = System.nanoTime();
        RelayGateway.Answer a = relay.gw().post(CHAT, good.key(), chat(OK));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertError(a, 504, "upstream_error", "upstream_timeout");
        assertTrue(ms < 2900, "answered before the upstream would have (" + ms + " ms)");
        assertEquals(1, relay.fake().requests().size(),
                "a timeout is not retried by default: " + relay.fake().requests());
    }

    @Test
    void streamThatBreaksAfterTheFirstEventEndsWithAnErrorEventAndDone() {
        relay.fake().on(CHAT, Reply.sse()
                .event(Shapes.chunk(OK, "{\"role\":\"assistant\",\"content\":\"\"}", null, false))
                .event(Shapes.chunk(OK, "{\"content\":\"partial\"}", null, false))
                .thenBreak());
        RawClient c = RawClient.post(relay.gw().port(), CHAT, good.key(), "{\"model\":\"" + OK + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, c.status());
        List<RawClient.Line> lines = c.readAll();
        c.close();
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l.text()).append('\n'));
        relay.gw().record(all.toString());
        List<String> data = lines.stream().map(RawClient.Line::text).filter(t -> t.startsWith("data:"))
                .map(t -> t.substring(5).strip()).toList();
        assertEquals(4, data.size(), "two events, an error event, [DONE]:\n" + all);
        assertEquals("partial", parse(data.get(1)).path("choices").path(0).path("delta").path("content").asText(),
                all.toString());
        assertEquals("[DONE]", data.get(data.size() - 1), "ends with [DONE]:\n" + all);
        JsonNode err = parse(data.get(data.size() - 2));
        RelayGateway.assertErrorShape(err, "upstream_error", "upstream_error", data.get(data.size() - 2));
    }
}
