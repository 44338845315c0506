package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static dev.switchboard.dist.relay.RelayGateway.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dist.relay.FakeUpstream.Received;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chat completions through the pass-through path against a fake OpenAI upstream: bytes, headers and credentials
 * of a plain answer; streams relayed event by event with usage asked upstream and shown only on request; a
 * 200 KB event; usage in the request log; a client that hangs up cancels the upstream call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatRelayIT {

    private static final String MAPPED = "gpt-e2e";
    private static final String UPSTREAM_NAME = "upstream-gpt-4o-e2e";
    private static final String PLAIN = "gpt-plain-e2e";

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of());

    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        relay.gw().channel(obj("name", "fake openai", "type", "openai", "base_url", relay.fake().baseUrl(),
                "models", List.of(MAPPED, PLAIN), "model_mapping", Map.of(MAPPED, UPSTREAM_NAME)));
        token = relay.gw().token(obj("name", "chat e2e"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Non-stream

    private static final String UPSTREAM_ANSWER = "{\n  \"id\": \"chatcmpl-e2e-1\",\n  \"object\": \"chat.completion\","
            + " \"created\": 1700000123, \"model\": \"upstream-gpt-4o-e2e-2024\",\n  \"choices\": [{\"index\": 0,"
            + " \"message\": {\"role\": \"assistant\", \"content\": \"Hello from upstream \\u00e9 \u00fc\","
            + " \"refusal\": null}, \"logprobs\": null, \"finish_reason\": \"stop\"}],\n  \"usage\": {"
            + "\"prompt_tokens\": 41, \"completion_tokens\": 17, \"total_tokens\": 58,"
            + " \"prompt_tokens_details\": {\"cached_tokens\": 0}},\n  \"system_fingerprint\": \"fp_e2e\",\n"
            + "  \"x_unknown_response_field\": {\"keep\": [1.50, \"me\", null], \"n\": 1e3}\n}\n";

    @Test
    void nonStreamAnswerIsRelayedByteForByteAndOnlyModelIsRewritten() {
        relay.fake().on("/v1/chat/completions", Reply.json(UPSTREAM_ANSWER)
                .header("Set-Cookie", "__cf_bm=upstream-cookie; path=/; HttpOnly")
                .header("openai-organization", "org-upstream-e2e")
                .header("openai-processing-ms", "12")
                .header("x-ratelimit-limit-requests", "10000")
                .header("x-ratelimit-remaining-tokens", "149990")
                .header("x-ratelimit-reset-requests", "6ms"));

        // Odd spacing, number forms and an unknown nested field: a gateway that re-serialises changes them.
        String clientBody = "{\"messages\": [ {\"role\":\"user\",\"content\":\"h\u00e9llo \u2603\"} ],\n"
                + "  \"model\" :  \"" + MAPPED + "\", \"temperature\": 0.70,"
                + " \"x_vendor_extension\": {\"k\": [1, 2.50, true, null], \"deep\": {\"a\": {}}},"
                + " \"tools\": [], \"seed\": 1e2 }";
        RelayGateway.Answer a = relay.gw().send(relay.gw().request("/v1/chat/completions")
                .header("Authorization", "Bearer " + token.key())
                .header("Content-Type", "application/json")
                .header("Cookie", "session=client-cookie-e2e")
                .header("OpenAI-Organization", "org-of-the-client")
                .header("Accept-Encoding", "gzip, br")
                .POST(HttpRequest.BodyPublishers.ofString(clientBody)));

        assertEquals(200, a.status(), a.toString());
        assertArrayEquals(UPSTREAM_ANSWER.getBytes(StandardCharsets.UTF_8), a.bytes(),
                "the answer is relayed byte for byte, unknown fields included:\n" + a.text());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.headers().toString());
        assertNotNull(a.header("X-Request-Id"), "X-Request-Id: " + a.headers());
        for (String name : a.headers().keySet()) {
            String n = name.toLowerCase(Locale.ROOT);
            assertFalse(n.equals("set-cookie") || n.startsWith("openai-") || n.startsWith("x-ratelimit"),
                    "the vendor account's header " + name + " must not reach the client: " + a.headers());
        }

        Received up = relay.fake().only();
        assertEquals("POST", up.method());
        assertEquals("/v1/chat/completions", up.path());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, up.header("Authorization"),
                "the channel's key is the upstream credential");
        assertNull(up.header("Cookie"), "no client cookie upstream: " + up.headers());
        assertEquals("127.0.0.1:" + relay.fake().port(), up.header("Host"), "the upstream's own Host: " + up.headers());
        String encoding = up.header("Accept-Encoding");
        assertTrue(encoding == null || encoding.equals("identity"),
                "the client's Accept-Encoding is not passed on (the gateway reads usage): " + up.headers());
        assertNotEquals("org-of-the-client", up.header("OpenAI-Organization"));
        for (Map.Entry<String, List<String>> h : up.headers().entrySet()) {
            for (String v : h.getValue()) {
                assertFalse(v.contains(token.key()), "the client's token travelled upstream in " + h.getKey());
                assertFalse(v.contains("client-cookie-e2e"), "the client's cookie travelled upstream in " + h.getKey());
            }
        }
        String expected = clientBody.replace("\"model\" :  \"" + MAPPED + "\"", "\"model\" :  \"" + UPSTREAM_NAME + "\"");
        assertEquals(expected, up.text(), "the upstream gets the client's bytes with only the model rewritten");

        List<String> log = relay.gw().requestLogLines(a.header("X-Request-Id"));
        assertEquals(1, log.size(), "one request log line: " + log);
        assertTrue(log.get(0).contains("prompt_tokens=41") && log.get(0).contains("completion_tokens=17"),
                "usage read from the relayed answer: " + log);
    }

    @Test
    void unmappedModelBodyReachesUpstreamUnchanged() {
        relay.fake().on("/v1/chat/completions", Reply.json(UPSTREAM_ANSWER));
        String clientBody = "{ \"model\": \"" + PLAIN + "\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                + " \"max_completion_tokens\": 5, \"reasoning_effort\": \"low\", \"x_unknown\": [[[]]],"
                + " \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"n\","
                + " \"schema\": {\"type\": \"object\"}, \"strict\": true}} }";
        RelayGateway.Answer a = relay.gw().post("/v1/chat/completions", token.key(), clientBody);
        assertEquals(200, a.status(), a.toString());
        assertEquals(clientBody, relay.fake().only().text(), "nothing to rewrite: the exact bytes go upstream");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Streams

    private static String chunk(String delta, String finish, boolean withUsageNull) {
        return Shapes.chunk(UPSTREAM_NAME, delta, finish, withUsageNull);
    }

    private static final String USAGE_CHUNK = "{\"id\":\"chatcmpl-e2e-stream\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000200,\"model\":\"" + UPSTREAM_NAME + "\",\"system_fingerprint\":\"fp_e2e\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":37,\"completion_tokens\":59,\"total_tokens\":96}}";

    /** Like OpenAI: a usage chunk (and {@code usage: null} in the others) only when the request asked for it. */
    private static Reply streamLikeOpenAi(Received r, long pauseMillis) {
        boolean usage = r.json().path("stream_options").path("include_usage").asBoolean(false);
        Reply s = Reply.sse().event(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null, usage))
                .pause(pauseMillis)
                .event(chunk("{\"content\":\"Hel\"}", null, usage))
                .event(chunk("{\"content\":\"lo\"}", null, usage))
                .event(chunk("{}", "stop", usage));
        if (usage) {
            s.event(USAGE_CHUNK);
        }
        return s.done();
    }

    private List<RawClient.Line> stream(String body, RawClient[] out) {
        RawClient c = RawClient.post(relay.gw().port(), "/v1/chat/completions", token.key(), body);
        out[0] = c;
        assertEquals(200, c.status(), "a stream starts with 200");
        List<RawClient.Line> lines = c.readAll();
        StringBuilder all = new StringBuilder(c.headers().toString()).append('\n');
        lines.forEach(l -> all.append(l.text()).append('\n'));
        relay.gw().record(all.toString());
        c.close();
        return lines;
    }

    private static List<RawClient.Line> data(List<RawClient.Line> lines) {
        return lines.stream().filter(l -> l.text().startsWith("data:")).toList();
    }

    private static String payload(RawClient.Line l) {
        return l.text().substring(5).strip();
    }

    @Test
    void streamIsRelayedAsItComesWithUsageAskedUpstreamButNotShown() {
        relay.fake().on("/v1/chat/completions", r -> streamLikeOpenAi(r, 500));
        String clientBody = "{\"model\":\"" + MAPPED + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Say hello\"}],\"max_tokens\":20,\"x_unknown\":{\"a\":1.0}}";
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> lines = stream(clientBody, c);

        String type = c[0].header("content-type");
        assertTrue(type != null && type.startsWith("text/event-stream"), "Content-Type: " + c[0].headers());
        assertEquals("no", c[0].header("x-accel-buffering"), "X-Accel-Buffering: " + c[0].headers());
        assertEquals("no-cache", c[0].header("cache-control"), "Cache-Control: " + c[0].headers());
        assertNotNull(c[0].header("x-request-id"), "X-Request-Id: " + c[0].headers());

        List<RawClient.Line> data = data(lines);
        assertTrue(data.size() >= 5, "role, 2 contents, finish, [DONE]: " + lines);
        long spreadMs = TimeUnit.NANOSECONDS.toMillis(data.get(data.size() - 1).atNanos() - data.get(0).atNanos());
        assertTrue(spreadMs >= 300, "the first event reached the client before the upstream's 500 ms pause ended; "
                + "it arrived only " + spreadMs + " ms before the last");
        assertEquals("[DONE]", payload(data.get(data.size() - 1)), "ends with data: [DONE]");

        StringBuilder text = new StringBuilder();
        for (RawClient.Line l : data.subList(0, data.size() - 1)) {
            JsonNode ev = parse(payload(l));
            assertFalse(ev.has("usage") && !ev.get("usage").isNull(), "no usage for a client that did not ask: " + l);
            assertFalse(ev.path("choices").isArray() && ev.path("choices").isEmpty(),
                    "no usage chunk for a client that did not ask: " + l);
            text.append(ev.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("Hello", text.toString());

        Received up = relay.fake().only();
        JsonNode sent = up.json();
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(false),
                "the gateway asks the upstream for usage: " + up.text());
        ObjectNode rest = (ObjectNode) sent.deepCopy();
        rest.remove("stream_options");
        ObjectNode expected = (ObjectNode) parse(clientBody);
        expected.put("model", UPSTREAM_NAME);
        assertEquals(expected, rest, "everything else reaches the upstream untouched");

        String id = c[0].header("x-request-id");
        List<String> log = relay.gw().requestLogLines(id);
        assertEquals(1, log.size(), "one request log line per request: " + log);
        assertTrue(log.get(0).contains("prompt_tokens=37") && log.get(0).contains("completion_tokens=59"),
                "the upstream's stream usage is logged: " + log);
    }

    @Test
    void clientThatAsksForUsageGetsExactlyOneUsageChunk() {
        relay.fake().on("/v1/chat/completions", r -> streamLikeOpenAi(r, 0));
        String clientBody = "{\"model\":\"" + PLAIN + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> data = data(stream(clientBody, c));
        assertEquals("[DONE]", payload(data.get(data.size() - 1)));
        List<JsonNode> usage = new ArrayList<>();
        for (RawClient.Line l : data.subList(0, data.size() - 1)) {
            JsonNode ev = parse(payload(l));
            if (ev.path("choices").isArray() && ev.path("choices").isEmpty()) {
                usage.add(ev);
            }
        }
        assertEquals(1, usage.size(), "exactly one usage chunk: " + data);
        assertEquals(37, usage.get(0).path("usage").path("prompt_tokens").asInt());
        assertEquals(59, usage.get(0).path("usage").path("completion_tokens").asInt());
        assertEquals(clientBody, relay.fake().only().text(), "the client asked for usage itself: nothing to change");
        List<String> log = relay.gw().requestLogLines(c[0].header("x-request-id"));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("prompt_tokens=37") && log.get(0).contains("completion_tokens=59"), log.get(0));
    }

    @Test
    void veryLongEventPassesIntact() {
        StringBuilder big = new StringBuilder(210_000);
        for (int i = 0; big.length() < 200_000; i++) {
            big.append("token").append(i).append(i % 7 == 0 ? " \u00e9\u4e16 " : " ");
        }
        String content = big.toString();
        ObjectNode delta = RelayGateway.JSON.createObjectNode().put("content", content);
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false))
                .event(chunk(delta.toString(), null, false))
                .event(chunk("{}", "stop", false))
                .done());
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> data = data(stream("{\"model\":\"" + PLAIN + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}", c));
        String got = null;
        for (RawClient.Line l : data) {
            if (l.text().length() > 100_000) {
                got = parse(payload(l)).path("choices").path(0).path("delta").path("content").asText();
            }
        }
        assertNotNull(got, "the long event arrived whole on one data line: " + data.size() + " lines");
        assertEquals(content, got, "the 200 KB delta is intact");
        assertEquals("[DONE]", payload(data.get(data.size() - 1)));
    }

    @Test
    void azureStyleApiKeyHeaderAuthenticatesAndStaysHere() {
        relay.fake().on("/v1/chat/completions", Reply.json(UPSTREAM_ANSWER));
        RelayGateway.Answer a = relay.gw().send(relay.gw().request("/v1/chat/completions")
                .header("api-key", token.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + PLAIN + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertEquals(200, a.status(), a.toString());
        Received up = relay.fake().only();
        assertNull(up.header("api-key"), "the client's api-key header is not passed on: " + up.headers());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, up.header("Authorization"));
    }

    @Test
    void compactEventsWithoutDoneAreNormalisedAndEndWithDone() {
        // Some OpenAI-compatible vendors: no space after "data:", CRLF line ends, and no [DONE] at the end.
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .raw("data:" + chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false) + "\r\n\r\n")
                .raw("data:" + chunk("{\"content\":\"compact\"}", null, false) + "\r\n\r\n")
                .raw("data:" + chunk("{}", "stop", false) + "\r\n\r\n"));
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> data = data(stream("{\"model\":\"" + PLAIN + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", c));
        assertEquals(4, data.size(), "three events and [DONE]: " + data);
        assertEquals("compact", parse(payload(data.get(1))).path("choices").path(0).path("delta").path("content")
                .asText(), data.toString());
        assertEquals("data: [DONE]", data.get(3).text(), "the gateway adds the [DONE] the upstream left out");
    }

    @Test
    void cumulativeUsageInEveryChunkIsBilledOnceAsTheLastValueAndHidden() {
        // Vendors that repeat a growing usage in every chunk, the last one carrying the final count.
        relay.fake().on("/v1/chat/completions", r -> {
            Reply s = Reply.sse();
            String[] parts = {"One", " two", " three"};
            for (int i = 0; i < parts.length; i++) {
                ObjectNode ev = (ObjectNode) parse(chunk("{\"content\":\"" + parts[i] + "\"}",
                        i == parts.length - 1 ? "stop" : null, false));
                ev.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", i + 1)
                        .put("total_tokens", 12 + i);
                s.event(ev.toString());
            }
            return s.done();
        });
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> data = data(stream("{\"model\":\"" + PLAIN + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}", c));
        StringBuilder text = new StringBuilder();
        for (RawClient.Line l : data.subList(0, data.size() - 1)) {
            JsonNode ev = parse(payload(l));
            assertFalse(ev.has("usage") && !ev.get("usage").isNull(), "no usage for a client that did not ask: " + l);
            text.append(ev.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("One two three", text.toString(), "the chunks themselves are kept");
        List<String> log = relay.gw().requestLogLines(c[0].header("x-request-id"));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("prompt_tokens=11") && log.get(0).contains("completion_tokens=3"),
                "the last cumulative value, once: " + log.get(0));
    }

    @Test
    void clientThatRefusesUsageStillHasItAskedUpstreamButNeverSeesIt() {
        relay.fake().on("/v1/chat/completions", r -> streamLikeOpenAi(r, 0));
        String clientBody = "{\"model\":\"" + PLAIN + "\",\"stream\":true,\"stream_options\":{\"include_usage\":false,"
                + "\"x_vendor_option\":\"kept\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        RawClient[] c = new RawClient[1];
        List<RawClient.Line> data = data(stream(clientBody, c));
        JsonNode options = relay.fake().only().json().path("stream_options");
        assertTrue(options.path("include_usage").asBoolean(), "usage asked upstream: " + options);
        assertEquals("kept", options.path("x_vendor_option").asText(), "the client's other options kept: " + options);
        for (RawClient.Line l : data.subList(0, data.size() - 1)) {
            JsonNode ev = parse(payload(l));
            assertFalse(ev.path("choices").isArray() && ev.path("choices").isEmpty(), "no usage chunk: " + l);
            assertFalse(ev.has("usage") && !ev.get("usage").isNull(), "no usage: " + l);
        }
        assertEquals("[DONE]", payload(data.get(data.size() - 1)));
    }

    @Test
    void streamWithoutUpstreamUsageIsCountedWithATokenizer() throws Exception {
        // An upstream that ignores stream_options and never reports usage.
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false))
                .event(chunk("{\"content\":\"The quick brown fox jumps over the lazy dog.\"}", null, false))
                .event(chunk("{}", "stop", false))
                .done());
        RawClient[] c = new RawClient[1];
        stream("{\"model\":\"" + PLAIN + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Write one sentence about a fox and a dog, please.\"}]}", c);
        String requestId = c[0].header("x-request-id");
        // The bill (the usage log behind /api/logs, written within one flush window) carries counted tokens.
        JsonNode entry = null;
        for (long deadline = System.nanoTime() + 10_000_000_000L; entry == null && System.nanoTime() < deadline; ) {
            for (JsonNode e : relay.gw().get("/api/logs?model=" + PLAIN + "&per_page=500", RelayGateway.ADMIN).json()
                    .path("data")) {
                if (requestId.equals(e.path("request_id").asText())) {
                    entry = e;
                }
            }
            if (entry == null) {
                Thread.sleep(100);
            }
        }
        assertTrue(entry != null, "the request is in /api/logs");
        assertTrue(entry.path("prompt_tokens").asLong() > 5, "prompt tokens counted: " + entry);
        assertEquals(10, entry.path("completion_tokens").asLong(), "completion tokens counted: " + entry);
    }

    @Test
    void concurrentStreamsEachGetTheirOwnEvents() throws Exception {
        // Each answer echoes the marker of its own request, in several events with pauses between them.
        relay.fake().on("/v1/chat/completions", r -> {
            String marker = r.json().path("messages").path(0).path("content").asText();
            Reply s = Reply.sse().event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false));
            for (int i = 0; i < 5; i++) {
                s.pause(40).event(chunk("{\"content\":\"" + marker + "-" + i + " \"}", null, false));
            }
            return s.event(chunk("{}", "stop", false)).done();
        });
        int n = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<String>> texts = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                String marker = "m" + k;
                texts.add(pool.submit(() -> {
                    RawClient[] c = new RawClient[1];
                    StringBuilder text = new StringBuilder();
                    List<RawClient.Line> data = data(stream("{\"model\":\"" + PLAIN + "\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}", c));
                    assertEquals("[DONE]", payload(data.get(data.size() - 1)));
                    for (RawClient.Line l : data.subList(0, data.size() - 1)) {
                        text.append(parse(payload(l)).path("choices").path(0).path("delta").path("content")
                                .asText(""));
                    }
                    return text.toString();
                }));
            }
            for (int k = 0; k < n; k++) {
                String m = "m" + k;
                assertEquals(m + "-0 " + m + "-1 " + m + "-2 " + m + "-3 " + m + "-4 ", texts.get(k).get(30,
                        TimeUnit.SECONDS), "stream " + k + " got exactly its own events, in order");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, relay.fake().requests().size());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Client disconnect

    @Test
    void clientHangingUpCancelsTheUpstreamCall() {
        hangUpAfterFirstEvent(Reply.sse()
                .event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, false))
                .event(chunk("{\"content\":\"first\"}", null, false))
                .thenHold(200, chunk("{\"content\":\" more\"}", null, false)));
    }

    private void hangUpAfterFirstEvent(Reply reply) {
        relay.fake().on("/v1/chat/completions", reply);
        RawClient c = RawClient.post(relay.gw().port(), "/v1/chat/completions", token.key(), "{\"model\":\"" + PLAIN
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go on forever\"}]}");
        assertEquals(200, c.status());
        RawClient.Line first = c.readLine();
        while (first != null && !first.text().startsWith("data:")) {
            first = c.readLine();
        }
        assertNotNull(first, "a first event");
        String requestId = c.header("x-request-id");
        relay.gw().record(first.text());
        long hungUp = System.nanoTime();
        c.close();

        System.out.println("[e2e] the upstream connection closed " + relay.fake().awaitFirstCallCancelled(hungUp)
                + " ms after the client hung up");
        List<String> log = relay.gw().requestLogLines(requestId);
        assertEquals(1, log.size(), "one request log line: " + log);
    }
}
