package dev.switchboard.plugin.qwen;

import static dev.switchboard.plugin.qwen.Fixtures.JSON;
import static dev.switchboard.plugin.qwen.Fixtures.assertJson;
import static dev.switchboard.plugin.qwen.Fixtures.json;
import static dev.switchboard.plugin.qwen.Fixtures.run;
import static dev.switchboard.plugin.qwen.Fixtures.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native DashScope streams, as providers.md section 3a shows them, turned into OpenAI chunks. */
class NativeStreamTranslatorTest {

    private static String event(int id, String data) {
        return "id:" + id + "\nevent:result\n:HTTP_STATUS/200\ndata:" + data + "\n\n";
    }

    private static String text(String content, String finish, int in, int out) {
        return "{\"output\":{\"choices\":[{\"message\":{\"content\":\"" + content + "\",\"role\":\"assistant\"},"
                + "\"finish_reason\":\"" + finish + "\"}]},\"usage\":{\"input_tokens\":" + in + ",\"output_tokens\":"
                + out + ",\"total_tokens\":" + (in + out) + "},\"request_id\":\"5f1c9c2e-aaaa\"}";
    }

    private static NativeStreamTranslator translator() {
        return new NativeStreamTranslator(JSON, "qwen-plus", 1);
    }

    @Test
    void textStreamBecomesRoleThenContentThenFinish() throws Exception {
        String raw = event(1, text("Hi", "null", 10, 1)) + event(2, text(" there", "null", 10, 2))
                + event(3, text("!", "stop", 10, 3));
        NativeStreamTranslator t = translator();
        List<JsonNode> chunks = run(t, sse(raw));

        assertEquals(5, chunks.size(), chunks.toString());
        for (JsonNode c : chunks) {
            assertEquals("chat.completion.chunk", c.path("object").asText());
            assertEquals("5f1c9c2e-aaaa", c.path("id").asText(), "request_id is the id");
            assertEquals("qwen-plus", c.path("model").asText());
            assertEquals(0, c.path("choices").path(0).path("index").asInt());
        }
        assertJson(json("{\"role\":\"assistant\",\"content\":\"\"}"), chunks.get(0).path("choices").path(0)
                .path("delta"));
        assertEquals("Hi", delta(chunks.get(1)).path("content").asText());
        assertEquals(" there", delta(chunks.get(2)).path("content").asText());
        assertEquals("!", delta(chunks.get(3)).path("content").asText());
        for (int i = 0; i < 4; i++) {
            assertTrue(chunks.get(i).path("choices").path(0).path("finish_reason").isNull(),
                    "the string \"null\" is no finish reason");
        }
        assertJson(json("{}"), delta(chunks.get(4)));
        assertEquals("stop", chunks.get(4).path("choices").path(0).path("finish_reason").asText());
        assertTrue(t.finished(), "no [DONE]: a finish reason ends the stream");
    }

    @Test
    void cumulativeUsageIsBilledOnceAtItsLastValue() throws Exception {
        String raw = event(1, text("a", "null", 12, 1)) + event(2, text("b", "null", 12, 2))
                + event(3, text("c", "stop", 12, 3));
        NativeStreamTranslator t = translator();
        run(t, sse(raw));
        assertEquals(Usage.of(12, 3), t.usage(), "the last cumulative value, not the sum (12+12+12, 1+2+3)");
    }

    @Test
    void aToolCallSplitOverManyEventsReassemblesIntoOpenAiDeltas() throws Exception {
        String head = "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"role\":\"assistant\",\"tool_calls\":[";
        String tail = "]},\"finish_reason\":\"null\"}]},\"usage\":{\"input_tokens\":200,\"output_tokens\":%d,"
                + "\"total_tokens\":%d},\"request_id\":\"rid-tools\"}";
        String[] pieces = {
            "{\"index\":0,\"id\":\"call_8f2e\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"\"}}",
            "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"{\\\"loc\"}}",
            "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"ation\\\": \\\"\"}}",
            "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"Hangzhou\"}}",
            "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"\\\", \\\"unit\\\": \"}}",
            "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"\\\"celsius\\\"}\"}}",
        };
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < pieces.length; i++) {
            raw.append(event(i + 1, head + pieces[i] + String.format(tail, i + 1, 201 + i)));
        }
        raw.append(event(pieces.length + 1, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"role\":"
                + "\"assistant\"},\"finish_reason\":\"tool_calls\"}]},\"usage\":{\"input_tokens\":200,"
                + "\"output_tokens\":24,\"total_tokens\":224},\"request_id\":\"rid-tools\"}"));

        NativeStreamTranslator t = translator();
        List<JsonNode> chunks = run(t, sse(raw.toString()));

        List<JsonNode> toolDeltas = new ArrayList<>();
        for (JsonNode c : chunks) {
            delta(c).path("tool_calls").forEach(toolDeltas::add);
            assertTrue(delta(c).path("tool_calls").size() <= 1, "one tool delta per chunk");
        }
        assertJson(json("{\"index\":0,\"id\":\"call_8f2e\",\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"arguments\":\"\"}}"), toolDeltas.get(0), "id, type and name come first");
        StringBuilder args = new StringBuilder();
        for (JsonNode d : toolDeltas.subList(1, toolDeltas.size())) {
            assertEquals(0, d.path("index").asInt());
            assertFalse(d.has("id"), "fragments carry no id: " + d);
            assertFalse(d.path("function").has("name"), "fragments carry no name: " + d);
            args.append(d.path("function").path("arguments").asText());
        }
        assertEquals(5, toolDeltas.size() - 1, "one fragment per non-empty piece");
        assertJson(json("{\"location\": \"Hangzhou\", \"unit\": \"celsius\"}"), json(args.toString()));
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("tool_calls", last.path("choices").path(0).path("finish_reason").asText());
        assertEquals(Usage.of(200, 24), t.usage());
    }

    @Test
    void parallelToolCallsKeepTheirIndexAndNameRepeatsAreIgnored() throws Exception {
        String raw = event(1, "{\"output\":{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{\\\"x\\\":\"}}]},\"finish_reason\":\"null\"}]},\"request_id\":\"r\"}")
                + event(2, "{\"output\":{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\","
                + "\"arguments\":\"{}\"}}]},\"finish_reason\":\"null\"}]},\"request_id\":\"r\"}")
                + event(3, "{\"output\":{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"1}\"}}]},\"finish_reason\":\"stop\"}]},\"request_id\":\"r\"}");
        List<JsonNode> chunks = run(translator(), sse(raw));
        List<JsonNode> deltas = new ArrayList<>();
        chunks.forEach(c -> delta(c).path("tool_calls").forEach(deltas::add));
        assertEquals(List.of(
                json("{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}"),
                json("{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":\"}}"),
                json("{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}}"),
                json("{\"index\":1,\"function\":{\"arguments\":\"{}\"}}"),
                json("{\"index\":0,\"function\":{\"arguments\":\"1}\"}}")), deltas);
        assertEquals("tool_calls", chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason")
                .asText(), "a choice that called tools finishes with tool_calls even when DashScope says stop");
    }

    @Test
    void piecesWithoutIndexAreGroupedByIdAndArgumentsBeforeTheNameAreHeldBack() throws Exception {
        String raw = event(1, "{\"output\":{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"id\":\"call_z\",\"type\":\"function\",\"function\":{\"arguments\":\"{\\\"q\"}}]},"
                + "\"finish_reason\":\"null\"}]},\"request_id\":\"r\"}")
                + event(2, "{\"output\":{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"search\","
                + "\"arguments\":\"\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]},\"request_id\":\"r\"}");
        List<JsonNode> deltas = new ArrayList<>();
        run(translator(), sse(raw)).forEach(c -> delta(c).path("tool_calls").forEach(deltas::add));
        assertEquals(List.of(
                json("{\"index\":0,\"id\":\"call_z\",\"type\":\"function\",\"function\":{\"name\":\"search\",\"arguments\":\"\"}}"),
                json("{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":1}\"}}")), deltas,
                "what was held back comes in one fragment once the name is known");
    }

    @Test
    void reasoningContentStreamsAsItsOwnDelta() throws Exception {
        String raw = event(1, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":"
                + "\"Let me think\",\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"request_id\":\"r\"}")
                + event(2, text("42", "stop", 5, 9));
        List<JsonNode> chunks = run(translator(), sse(raw));
        assertEquals("Let me think", delta(chunks.get(1)).path("reasoning_content").asText());
        assertFalse(delta(chunks.get(1)).has("content"));
        assertEquals("42", delta(chunks.get(2)).path("content").asText());
    }

    @Test
    void theOlderTextFormStreamsToo() throws Exception {
        String raw = "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"finish_reason\":\"null\",\"text\":"
                + "\"Hel\"},\"usage\":{\"input_tokens\":3,\"output_tokens\":1},\"request_id\":\"r-old\"}\n\n"
                + "id:2\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"finish_reason\":\"stop\",\"text\":"
                + "\"lo\"},\"usage\":{\"input_tokens\":3,\"output_tokens\":2},\"request_id\":\"r-old\"}\n\n";
        NativeStreamTranslator t = translator();
        List<JsonNode> chunks = run(t, sse(raw));
        assertEquals("Hel", delta(chunks.get(1)).path("content").asText());
        assertEquals("lo", delta(chunks.get(2)).path("content").asText());
        assertEquals("stop", chunks.get(3).path("choices").path(0).path("finish_reason").asText());
        assertEquals(Usage.of(3, 2), t.usage());
    }

    @Test
    void anInBandErrorEventThrowsWithItsVerdict() throws Exception {
        String raw = event(1, text("Hi", "null", 10, 1))
                + "id:2\nevent:error\n:HTTP_STATUS/400\ndata:{\"code\":\"DataInspectionFailed\",\"message\":"
                + "\"Output data may contain inappropriate content.\",\"request_id\":\"rid-err\"}\n\n";
        NativeStreamTranslator t = translator();
        List<SseEvent> events = sse(raw);
        List<JsonNode> chunks = new ArrayList<>();
        t.onEvent(events.get(0), chunks::add);
        assertEquals(2, chunks.size());
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class, () -> t.onEvent(events.get(1),
                chunks::add));
        UpstreamError err = e.error();
        assertEquals(400, err.status());
        assertEquals("content_filter", err.code());
        assertEquals("DataInspectionFailed", err.vendorCode());
        assertEquals("[qwen DataInspectionFailed] Output data may contain inappropriate content.", err.message());
        assertFalse(err.retryable());
    }

    @Test
    void anInBandRateLimitBeforeAnyContentIsRetryable() {
        String raw = "id:1\nevent:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling.RateQuota\",\"message\":"
                + "\"Requests rate limit exceeded, please try again later.\",\"request_id\":\"x\"}\n\n";
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class,
                () -> translator().onEvent(sse(raw).get(0), c -> { }));
        assertEquals(429, e.error().status());
        assertEquals("upstream_rate_limited", e.error().code());
        assertTrue(e.error().retryable());
    }

    @Test
    void finishedWaitsForEveryChoiceAskedFor() throws Exception {
        NativeStreamTranslator t = new NativeStreamTranslator(JSON, "qwen-plus", 2);
        String raw = event(1, "{\"output\":{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a\",\"role\":"
                + "\"assistant\"},\"finish_reason\":\"stop\"}]},\"request_id\":\"r\"}")
                + event(2, "{\"output\":{\"choices\":[{\"index\":1,\"message\":{\"content\":\"b\",\"role\":"
                + "\"assistant\"},\"finish_reason\":\"null\"}]},\"request_id\":\"r\"}");
        List<JsonNode> chunks = run(t, sse(raw));
        assertFalse(t.finished());
        assertEquals(1, chunks.get(chunks.size() - 1).path("choices").path(0).path("index").asInt());
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.path("choices").path(0).path("delta");
    }
}
