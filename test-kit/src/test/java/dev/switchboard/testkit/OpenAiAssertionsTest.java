package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiAssertionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void acceptsAChatCompletionAndNamesTheFirstWrongField() throws Exception {
        String ok = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}";
        OpenAiAssertions.assertChatCompletion(json(ok));
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpenAiAssertions.assertChatCompletion(json(ok.replace("\"total_tokens\":3", "\"total_tokens\":4"))));
        assertTrue(e.getMessage().startsWith("usage.total_tokens must be prompt + completion"), e.getMessage());
        e = assertThrows(AssertionError.class,
                () -> OpenAiAssertions.assertChatCompletion(json(ok.replace("\"created\":1", "\"created\":\"1\""))));
        assertTrue(e.getMessage().startsWith("created must be an integer"), e.getMessage());
    }

    @Test
    void chunksShareAnIdAndTheirContentJoins() throws Exception {
        JsonNode a = json("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");
        JsonNode b = json("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}");
        OpenAiAssertions.assertChatChunks(List.of(a, b));
        assertEquals("Hello", OpenAiAssertions.content(List.of(a, b)));
        JsonNode other = json(b.toString().replace("\"id\":\"c\"", "\"id\":\"d\""));
        assertThrows(AssertionError.class, () -> OpenAiAssertions.assertChatChunks(List.of(a, other)));
    }

    @Test
    void anErrorRendersAsTheClientsErrorObject() {
        UpstreamError e = UpstreamError.builder(429, "rate_limit_exceeded", "[acme 42] slow down")
                .vendorCode("42").retryable(true).build();
        JsonNode body = OpenAiAssertions.errorBody(e);
        OpenAiAssertions.assertErrorObject(body);
        assertEquals("42", body.path("error").path("vendor_code").asText());
        assertThrows(AssertionError.class, () -> OpenAiAssertions.assertErrorObject(json("{\"error\":\"x\"}")));
    }
}
