package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** OpenAI chat requests as v1 bodies (providers.md 2a, relay-api.md "Chat"). */
class V1ChatRequestTest {

    private final V1ChatRequest translator = new V1ChatRequest(new ObjectMapper());

    private JsonNode translate(String json) throws UpstreamErrorException {
        return translator.translate(TestRequest.chat(json));
    }

    private UpstreamError refused(String json) {
        return assertThrows(UpstreamErrorException.class, () -> translate(json)).error();
    }

    @Test
    void systemAndDeveloperMessagesAreLiftedIntoSystem() throws Exception {
        JsonNode b = translate("{\"model\":\"ERNIE-4.0-8K\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Answer in English.\"}]},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals("You are terse.\n\nAnswer in English.", b.get("system").asText());
        assertEquals(TestRequest.parse("[{\"role\":\"user\",\"content\":\"Hi\"}]"), b.get("messages"));
        assertFalse(b.has("model"), "the model is in the URL, not the body");
        assertFalse(b.get("stream").asBoolean());
    }

    @Test
    void consecutiveSameRoleMessagesAreMergedSoTurnsAlternate() throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"First.\"},{\"role\":\"user\",\"content\":\"Second.\"},"
                + "{\"role\":\"assistant\",\"content\":\"A1\"},{\"role\":\"system\",\"content\":\"Be kind.\"},"
                + "{\"role\":\"assistant\",\"content\":\"A2\"},{\"role\":\"user\",\"content\":\"Third.\"}]}");
        assertEquals(TestRequest.parse("[{\"role\":\"user\",\"content\":\"First.\\n\\nSecond.\"},"
                + "{\"role\":\"assistant\",\"content\":\"A1\\n\\nA2\"},{\"role\":\"user\",\"content\":\"Third.\"}]"),
                b.get("messages"));
        assertEquals("Be kind.", b.get("system").asText(), "a system message in the middle is lifted too");
    }

    @Test
    void conversationsBaiduCannotTakeGetAClear400() {
        UpstreamError first = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello! How can I help?\"},{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(400, first.status());
        assertEquals("invalid_request_error", first.type());
        assertEquals("messages[1]", first.param());
        assertFalse(first.retryable());
        assertTrue(first.message().startsWith("[qianfan] Baidu Qianfan v1 needs the conversation to start with a"
                + " user message"), first.message());

        UpstreamError last = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Prefill\"}]}");
        assertEquals("messages[1]", last.param());
        assertTrue(last.message().contains("end with a user message"), last.message());

        UpstreamError onlySystem = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"}]}");
        assertEquals("messages", onlySystem.param());

        UpstreamError image = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}");
        assertEquals("messages[0].content", image.param());
        assertTrue(image.message().contains("text only"), image.message());
    }

    @ParameterizedTest(name = "max_tokens {0} -> {1}")
    @CsvSource({"1, 2", "0, 2", "2, 2", "1024, 1024"})
    void maxTokensBecomeMaxOutputTokensOfAtLeastTwo(long max, long expected) throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"max_tokens\":" + max + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        assertEquals(expected, b.get("max_output_tokens").asLong());
        assertFalse(b.has("max_tokens"));
    }

    @Test
    void maxCompletionTokensIsTreatedLikeMaxTokensAndWins() throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"max_tokens\":100,\"max_completion_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(50, b.get("max_output_tokens").asLong());
        assertFalse(b.has("max_completion_tokens"));
    }

    @ParameterizedTest(name = "frequency_penalty {0} -> penalty_score {1}")
    @CsvSource({"-2.0, 1.0", "0.0, 1.0", "0.5, 1.25", "1.0, 1.5", "2.0, 2.0", "3.0, 2.0"})
    void frequencyPenaltyIsRescaledIntoOneToTwo(double fp, double expected) throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"frequency_penalty\":" + fp + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        assertEquals(expected, b.get("penalty_score").asDouble(), 1e-9);
        assertFalse(b.has("frequency_penalty"));
    }

    @Test
    void aPenaltyScoreTheClientSetWins() throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"frequency_penalty\":2,\"penalty_score\":1.1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(1.1, b.get("penalty_score").asDouble(), 1e-9);
    }

    @ParameterizedTest(name = "temperature {0} -> {1}")
    @CsvSource({"0, 0.01", "0.7, 0.7", "1.0, 1.0", "1.8, 1.0"})
    void temperatureStaysInBaidusRange(double t, double expected) throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"temperature\":" + t + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        assertEquals(expected, b.get("temperature").asDouble(), 1e-9);
    }

    @Test
    void userStopResponseFormatAndVendorFieldsAreCarried() throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"user\":\"u-42\",\"stop\":\"END\",\"top_p\":0.8,\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"x\",\"schema\":{}}},\"disable_search\":true,\"enable_citation\":false,"
                + "\"n\":1,\"seed\":7,\"logit_bias\":{},\"presence_penalty\":0.5,\"parallel_tool_calls\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals("u-42", b.get("user_id").asText());
        assertFalse(b.has("user"));
        assertEquals(TestRequest.parse("[\"END\"]"), b.get("stop"));
        assertEquals("json_object", b.get("response_format").asText());
        assertEquals(0.8, b.get("top_p").asDouble(), 1e-9);
        assertTrue(b.get("disable_search").asBoolean(), "Baidu's own fields reach Baidu");
        assertFalse(b.get("enable_citation").asBoolean());
        assertTrue(b.get("stream").asBoolean());
        for (String dropped : new String[] {"n", "seed", "logit_bias", "presence_penalty", "parallel_tool_calls",
                "stream_options"}) {
            assertFalse(b.has(dropped), dropped + " has no v1 counterpart");
        }
        JsonNode text = translate("{\"model\":\"m\",\"response_format\":{\"type\":\"text\"},\"stop\":[\"a\",\"b\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals("text", text.get("response_format").asText());
        assertEquals(TestRequest.parse("[\"a\",\"b\"]"), text.get("stop"));
    }

    @Test
    void toolsBecomeFunctionsAndToolTurnsFunctionTurns() throws Exception {
        JsonNode b = translate("{\"model\":\"ERNIE-3.5-8K\",\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Beijing?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Beijing\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"temp\\\":21}\"}]}");
        assertEquals(TestRequest.parse("[{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]"),
                b.get("functions"));
        assertEquals(TestRequest.parse("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"),
                b.get("tool_choice"));
        assertFalse(b.has("tools"));
        assertEquals(TestRequest.parse("[{\"role\":\"user\",\"content\":\"Weather in Beijing?\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"function_call\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Beijing\\\"}\"}},"
                + "{\"role\":\"function\",\"name\":\"get_weather\",\"content\":\"{\\\"temp\\\":21}\"}]"),
                b.get("messages"));

        JsonNode none = translate("{\"model\":\"m\",\"tool_choice\":\"none\",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertFalse(none.has("functions"), "tool_choice none sends no functions");
    }

    @Test
    void parallelToolCallsAndOrphanToolAnswersAreRefused() {
        UpstreamError parallel = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":"
                + "\"{}\"}},{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"1\"}]}");
        assertEquals("messages[1].tool_calls", parallel.param());

        UpstreamError orphan = refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"content\":\"y\"},{\"role\":\"tool\",\"tool_call_id\":\"zz\",\"content\":\"1\"}]}");
        assertEquals("messages[2]", orphan.param());
    }

    @Test
    void aSystemFieldTheClientSetComesFirst() throws Exception {
        JsonNode b = translate("{\"model\":\"m\",\"system\":\"Native.\",\"messages\":[{\"role\":\"system\","
                + "\"content\":\"Lifted.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals("Native.\n\nLifted.", b.get("system").asText());
    }
}
