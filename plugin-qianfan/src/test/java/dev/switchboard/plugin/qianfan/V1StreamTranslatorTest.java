package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** v1 streams ({@code is_end}, no {@code [DONE]}) as OpenAI chunks. */
class V1StreamTranslatorTest {

    private final TestRequest request = TestRequest.chat("{\"model\":\"ERNIE-Speed-128K\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    private final V1StreamTranslator translator = new V1StreamTranslator(request, new ObjectMapper());
    private final List<JsonNode> chunks = new ArrayList<>();

    private void feed(String data) throws UpstreamErrorException {
        translator.onEvent(new SseEvent(null, null, data), chunks::add);
    }

    private static String event(int sentence, boolean end, String result, long completion, String extra) {
        return "{\"id\":\"as-vx7bt1\",\"object\":\"chat.completion\",\"created\":1693301430,\"sentence_id\":"
                + sentence + ",\"is_end\":" + end + ",\"is_truncated\":false,\"result\":\"" + result + "\","
                + "\"need_clear_history\":false,\"finish_reason\":\"normal\",\"usage\":{\"prompt_tokens\":4,"
                + "\"completion_tokens\":" + completion + ",\"total_tokens\":" + (4 + completion) + "}" + extra + "}";
    }

    @Test
    void eachEventBecomesOneChunkAndIsEndAFinishChunk() throws Exception {
        feed(event(0, false, "你好", 0, ""));
        assertEquals(1, chunks.size(), "the first event is sent as it arrives");
        assertFalse(translator.finished());
        feed(event(1, false, "，我是", 0, ""));
        feed(event(2, true, "文心一言。", 7, ""));
        assertTrue(translator.finished(), "is_end ends the stream; Baidu sends no [DONE]");
        assertEquals(4, chunks.size());
        TestRequest.assertJson("{\"id\":\"as-vx7bt1\",\"object\":\"chat.completion.chunk\",\"created\":"
                + "1693301430,\"model\":\"ERNIE-Speed-128K\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"你好\"},\"finish_reason\":null}]}", chunks.get(0));
        assertEquals(TestRequest.parse("{\"content\":\"，我是\"}"), chunks.get(1).path("choices").path(0).path("delta"));
        assertEquals("文心一言。", chunks.get(2).path("choices").path(0).path("delta").path("content").asText());
        JsonNode last = chunks.get(3).path("choices").path(0);
        assertEquals(TestRequest.parse("{}"), last.get("delta"));
        assertEquals("stop", last.get("finish_reason").asText());
        assertEquals(Usage.of(4, 7), translator.usage());
        chunks.forEach(c -> assertFalse(c.has("usage"), "the core adds the usage chunk"));
    }

    @Test
    void usageKeepsTheLastNonZeroCounts() throws Exception {
        feed(event(0, false, "a", 3, ""));
        feed(event(1, true, "", 0, ""));
        assertEquals(Usage.of(4, 3), translator.usage(), "a 0 after a count does not erase it");
        assertEquals(2, chunks.size(), "an empty last result sends only the finish chunk");
    }

    @Test
    void aContentFilteredStreamEndsWithContentFilter() throws Exception {
        feed(event(0, true, "我无法回答这个问题。", 3, "").replace("\"need_clear_history\":false",
                "\"need_clear_history\":true,\"ban_round\":-1"));
        assertEquals("content_filter", chunks.get(1).path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void aStreamedFunctionCallBecomesAToolCallDelta() throws Exception {
        feed(event(0, true, "", 5, ",\"function_call\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}")
                .replace("\"finish_reason\":\"normal\"", "\"finish_reason\":\"function_call\""));
        assertEquals(3, chunks.size());
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText());
        JsonNode call = chunks.get(1).path("choices").path(0).path("delta").path("tool_calls").path(0);
        assertEquals(0, call.path("index").asInt());
        assertEquals("get_weather", call.path("function").path("name").asText());
        assertEquals("tool_calls", chunks.get(2).path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void anErrorEventFailsTheStreamWithBaidusCode() throws Exception {
        feed(event(0, false, "a", 0, ""));
        UpstreamError e = assertThrows(UpstreamErrorException.class,
                () -> feed("{\"error_code\":336100,\"error_msg\":\"try again later\"}")).error();
        assertEquals("336100", e.vendorCode());
        assertEquals("[qianfan 336100] try again later", e.message());
    }

    @Test
    void aDoneLineEndsTheStreamToo() throws Exception {
        feed(event(0, false, "a", 0, ""));
        feed("[DONE]");
        assertTrue(translator.finished());
        assertEquals(1, chunks.size());
    }
}
