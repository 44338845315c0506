package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** v1 chat answers as OpenAI chat.completion objects. */
class V1ChatResponseTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final TestRequest request = TestRequest.chat("{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"你好\"}]}").mappedTo("ERNIE-4.0-8K-0329");

    @Test
    void resultBecomesTheMessageAndIdUsageAndTheRequestedModelAreKept() {
        TranslatedResponse t = V1ChatResponse.translate(request, TestRequest.parse("{\"id\":\"as-bcmt5ct4iy\","
                + "\"object\":\"chat.completion\",\"created\":1680167072,\"result\":\"您好，我是文心一言。\","
                + "\"is_truncated\":false,\"need_clear_history\":false,\"finish_reason\":\"normal\","
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,\"total_tokens\":6}}"), mapper);
        TestRequest.assertJson("{\"id\":\"as-bcmt5ct4iy\",\"object\":\"chat.completion\",\"created\":1680167072,"
                + "\"model\":\"ERNIE-4.0-8K\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"您好，我是文心一言。\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,\"total_tokens\":6}}", t.body());
        assertEquals(Usage.of(1, 5), t.usage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"normal, stop", "stop, stop", "length, length", "content_filter, content_filter",
            "function_call, tool_calls"})
    void finishReasonsAreMapped(String baidu, String openAi) {
        assertEquals(openAi, V1ChatResponse.finishReason(TestRequest.parse("{\"finish_reason\":\"" + baidu + "\"}")));
    }

    @Test
    void aContentFilteredAnswerIsNotAnErrorButEndsWithContentFilter() {
        TranslatedResponse t = V1ChatResponse.translate(request, TestRequest.parse("{\"id\":\"as-x\",\"created\":1,"
                + "\"result\":\"我无法回答这个问题。\",\"is_truncated\":false,\"need_clear_history\":true,"
                + "\"ban_round\":-1,\"finish_reason\":\"normal\",\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":3,\"total_tokens\":6}}"), mapper);
        JsonNode choice = t.body().path("choices").path(0);
        assertEquals("content_filter", choice.path("finish_reason").asText());
        assertEquals("我无法回答这个问题。", choice.path("message").path("content").asText());
    }

    @Test
    void aFunctionCallBecomesAToolCall() {
        TranslatedResponse t = V1ChatResponse.translate(request, TestRequest.parse("{\"id\":\"as-fc\",\"created\":1,"
                + "\"result\":\"\",\"is_truncated\":false,\"need_clear_history\":false,\"finish_reason\":"
                + "\"function_call\",\"function_call\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Beijing\\\"}\",\"thoughts\":\"call it\"},\"usage\":{\"prompt_tokens\":20,"
                + "\"completion_tokens\":10,\"total_tokens\":30}}"), mapper);
        JsonNode message = t.body().path("choices").path(0).path("message");
        assertTrue(message.get("content").isNull());
        assertEquals(TestRequest.parse("[{\"id\":\"call_as-fc\",\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Beijing\\\"}\"}}]"), message.get("tool_calls"));
        assertEquals("tool_calls", t.body().path("choices").path(0).path("finish_reason").asText());
    }
}
