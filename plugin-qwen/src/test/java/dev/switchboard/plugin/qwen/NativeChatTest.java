package dev.switchboard.plugin.qwen;

import static dev.switchboard.plugin.qwen.Fixtures.JSON;
import static dev.switchboard.plugin.qwen.Fixtures.assertJson;
import static dev.switchboard.plugin.qwen.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import org.junit.jupiter.api.Test;

/** Native chat both ways: the request DashScope gets and the chat.completion the client gets. */
class NativeChatTest {

    @Test
    void openAiRequestBecomesTheNativeForm() throws Exception {
        JsonNode client = json("""
                {"model":"plus","stream":true,"messages":[
                  {"role":"developer","content":"Be brief."},
                  {"role":"user","content":[{"type":"text","text":"Weather in "},{"type":"text","text":"Hangzhou?"}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Hangzhou\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"24C"}],
                 "max_completion_tokens":256,"max_tokens":99,"temperature":0.7,"top_p":1.0,"seed":42,"stop":["END"],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                 "tool_choice":"auto","parallel_tool_calls":true,"response_format":{"type":"json_object"},
                 "enable_thinking":true,"stream_options":{"include_usage":true},"user":"u1","top_k":20}
                """);
        NativeChatRequest.Built built = NativeChatRequest.build(client, "qwen-plus", true, JSON);
        assertFalse(built.multimodal());
        assertJson(json("""
                {"model":"qwen-plus","input":{"messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":"Weather in Hangzhou?"},
                  {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Hangzhou\\"}"}}]},
                  {"role":"tool","content":"24C","tool_call_id":"call_1"}]},
                 "parameters":{"result_format":"message","incremental_output":true,"temperature":0.7,"seed":42,
                  "stop":["END"],"tools":[{"type":"function","function":{"name":"get_weather",
                  "parameters":{"type":"object"}}}],"tool_choice":"auto","parallel_tool_calls":true,
                  "response_format":{"type":"json_object"},"enable_thinking":true,"top_k":20,"max_tokens":256,
                  "top_p":0.9999}}
                """), built.body());
    }

    @Test
    void maxTokensAloneAndTopPBelowTheLimitPassAsTheyAre() throws Exception {
        JsonNode body = NativeChatRequest.build(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"max_tokens\":10,\"top_p\":0.8}"), "qwen-max", false, JSON).body();
        assertEquals(10, body.path("parameters").path("max_tokens").asInt());
        assertEquals(0.8, body.path("parameters").path("top_p").asDouble());
        assertFalse(body.path("parameters").has("incremental_output"), "only streams are incremental");
        assertFalse(body.path("parameters").has("enable_thinking"), "qwen-max is not a Qwen3 model");
    }

    @Test
    void qwen3NonStreamCallsTurnThinkingOffUnlessTheClientSaid() throws Exception {
        String req = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertFalse(NativeChatRequest.build(json(req), "qwen3-32b", false, JSON).body().path("parameters")
                .path("enable_thinking").asBoolean(true));
        assertFalse(NativeChatRequest.build(json(req), "qwen3-32b", true, JSON).body().path("parameters")
                .has("enable_thinking"), "streams may think");
        String said = "{\"model\":\"m\",\"enable_thinking\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertTrue(NativeChatRequest.build(json(said), "qwen-plus", false, JSON).body().path("parameters")
                .path("enable_thinking").asBoolean(false));
    }

    @Test
    void imagePartsGoToTheMultimodalService() throws Exception {
        JsonNode client = json("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"You see.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"https://img.example/cat.png\"}},{\"type\":\"text\",\"text\":\"What is it?\"}]}]}");
        NativeChatRequest.Built built = NativeChatRequest.build(client, "qwen-vl-max", false, JSON);
        assertTrue(built.multimodal());
        assertJson(json("[{\"role\":\"system\",\"content\":[{\"text\":\"You see.\"}]},{\"role\":\"user\","
                + "\"content\":[{\"image\":\"https://img.example/cat.png\"},{\"text\":\"What is it?\"}]}]"),
                built.body().path("input").path("messages"));
    }

    @Test
    void audioPartsAreRefusedWithAMessageThatSaysWhatToDo() {
        JsonNode client = json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}}]}]}");
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class,
                () -> NativeChatRequest.build(client, "qwen-plus", false, JSON));
        assertEquals(400, e.error().status());
        assertTrue(e.error().message().contains("compatible mode"), e.error().message());
    }

    @Test
    void nativeAnswerBecomesChatCompletion() {
        JsonNode answer = json("""
                {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
                  "content":"Hangzhou is sunny.","reasoning_content":"Look it up."}}]},
                 "usage":{"input_tokens":31,"output_tokens":7,"total_tokens":38,
                  "prompt_tokens_details":{"cached_tokens":16}},
                 "request_id":"e5b1f1c0-1111-2222"}
                """);
        TranslatedResponse t = NativeChatResponse.translate(answer, "qwen-plus", JSON);
        JsonNode out = t.body();
        assertEquals("e5b1f1c0-1111-2222", out.path("id").asText(), "request_id is the id");
        assertEquals("chat.completion", out.path("object").asText());
        assertEquals("qwen-plus", out.path("model").asText());
        assertTrue(out.path("created").asLong() > 1_600_000_000L);
        assertJson(json("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hangzhou is sunny.\","
                + "\"reasoning_content\":\"Look it up.\"},\"logprobs\":null,\"finish_reason\":\"stop\"}"),
                out.path("choices").path(0));
        assertJson(json("{\"prompt_tokens\":31,\"completion_tokens\":7,\"total_tokens\":38,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":16}}"), out.path("usage"));
        assertEquals(new Usage(31, 7, 16), t.usage());
    }

    @Test
    void toolCallsInANativeAnswer() {
        JsonNode answer = json("""
                {"output":{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":"",
                  "tool_calls":[{"index":0,"id":"call_9","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Hangzhou\\"}"}}]}}]},
                 "usage":{"input_tokens":100,"output_tokens":20,"total_tokens":120},"request_id":"r"}
                """);
        JsonNode choice = NativeChatResponse.translate(answer, "qwen-plus", JSON).body().path("choices").path(0);
        assertTrue(choice.path("message").path("content").isNull());
        assertJson(json("[{\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"location\\\":\\\"Hangzhou\\\"}\"}}]"), choice.path("message").path("tool_calls"));
        assertEquals("tool_calls", choice.path("finish_reason").asText());
    }

    @Test
    void theOlderTextFormIsReadToo() {
        JsonNode answer = json("{\"output\":{\"text\":\"Hello.\",\"finish_reason\":\"stop\"},\"usage\":"
                + "{\"input_tokens\":4,\"output_tokens\":2,\"total_tokens\":6},\"request_id\":\"r-text\"}");
        TranslatedResponse t = NativeChatResponse.translate(answer, "qwen-turbo", JSON);
        assertEquals("Hello.", t.body().path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", t.body().path("choices").path(0).path("finish_reason").asText());
        assertEquals(Usage.of(4, 2), t.usage());
        assertEquals("r-text", t.body().path("id").asText());
    }

    @Test
    void multimodalContentListsAreJoined() {
        JsonNode answer = json("{\"output\":{\"choices\":[{\"finish_reason\":\"stop\",\"message\":{\"role\":"
                + "\"assistant\",\"content\":[{\"text\":\"A cat\"},{\"text\":\" on a mat.\"}]}}]},\"request_id\":\"r\"}");
        assertEquals("A cat on a mat.", NativeChatResponse.translate(answer, "qwen-vl-max", JSON).body()
                .path("choices").path(0).path("message").path("content").asText());
    }
}
