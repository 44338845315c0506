package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.UpstreamError;
import java.util.List;

/**
 * Checks that JSON has the OpenAI shapes clients rely on. Each method throws an {@link AssertionError} naming
 * the first field that is wrong and showing the JSON.
 */
public final class OpenAiAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiAssertions() {
    }

    /**
     * A {@code chat.completion}: {@code id}, {@code object}, {@code created}, {@code model}, a non-empty {@code
     * choices} array of {@code {index, message: {role: "assistant", content}, finish_reason}}, and when
     * present a {@code usage} whose total is the sum of its parts.
     *
     * @param body the body
     */
    public static void assertChatCompletion(JsonNode body) {
        commonHead(body, "chat.completion");
        JsonNode choices = body.path("choices");
        check(choices.isArray() && !choices.isEmpty(), "choices must be a non-empty array", body);
        for (JsonNode c : choices) {
            check(c.path("index").isIntegralNumber(), "choices[].index must be an integer", body);
            JsonNode m = c.path("message");
            check(m.isObject(), "choices[].message must be an object", body);
            check("assistant".equals(m.path("role").asText(null)), "choices[].message.role must be assistant", body);
            check(m.has("content") && (m.get("content").isTextual() || m.get("content").isNull()),
                    "choices[].message.content must be a string or null", body);
            check(c.has("finish_reason") && (c.get("finish_reason").isTextual() || c.get("finish_reason").isNull()),
                    "choices[].finish_reason must be a string or null", body);
        }
        if (body.has("usage") && !body.get("usage").isNull()) {
            assertUsageObject(body.get("usage"), body);
        }
    }

    /**
     * A {@code chat.completion.chunk}: {@code id}, {@code object}, {@code created}, {@code model}, and a {@code
     * choices} array (empty only in a usage chunk) of {@code {index, delta: {...}}} with {@code finish_reason}
     * a string or null when present.
     *
     * @param chunk the chunk
     */
    public static void assertChatChunk(JsonNode chunk) {
        commonHead(chunk, "chat.completion.chunk");
        JsonNode choices = chunk.path("choices");
        check(choices.isArray(), "choices must be an array", chunk);
        if (choices.isEmpty()) {
            check(chunk.path("usage").isObject(), "a chunk with no choices must carry usage", chunk);
        }
        for (JsonNode c : choices) {
            check(c.path("index").isIntegralNumber(), "choices[].index must be an integer", chunk);
            check(c.path("delta").isObject(), "choices[].delta must be an object", chunk);
            JsonNode f = c.get("finish_reason");
            check(f == null || f.isNull() || f.isTextual(), "choices[].finish_reason must be a string or null", chunk);
        }
        if (chunk.has("usage") && !chunk.get("usage").isNull()) {
            assertUsageObject(chunk.get("usage"), chunk);
        }
    }

    /** @param chunks the chunks of one stream; each is checked and they share one id */
    public static void assertChatChunks(List<JsonNode> chunks) {
        check(!chunks.isEmpty(), "the stream has no chunk", JSON.createArrayNode());
        String id = chunks.get(0).path("id").asText();
        for (JsonNode c : chunks) {
            assertChatChunk(c);
            check(id.equals(c.path("id").asText()), "all chunks of a stream share one id", c);
        }
    }

    /**
     * An OpenAI error object: {@code {"error": {"message": non-empty string, "type": string, "param": string or
     * null, "code": string or null}}}.
     *
     * @param body the body
     */
    public static void assertErrorObject(JsonNode body) {
        JsonNode e = body.path("error");
        check(e.isObject(), "error must be an object", body);
        check(e.path("message").isTextual() && !e.path("message").asText().isBlank(),
                "error.message must be a non-empty string", body);
        check(e.path("type").isTextual(), "error.type must be a string", body);
        check(e.has("param") && (e.get("param").isNull() || e.get("param").isTextual()),
                "error.param must be a string or null", body);
        check(e.has("code") && (e.get("code").isNull() || e.get("code").isTextual()),
                "error.code must be a string or null", body);
    }

    /**
     * Renders a translated error as the client's error object, as the core does ({@code vendor_code} added
     * when the adapter set one).
     *
     * @param error the error
     * @return {@code {"error": {...}}}
     */
    public static ObjectNode errorBody(UpstreamError error) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", error.message());
        e.put("type", error.type());
        e.put("param", error.param());
        e.put("code", error.code());
        if (error.vendorCode() != null) {
            e.put("vendor_code", error.vendorCode());
        }
        return root;
    }

    /** @param chunks chat chunks @return their {@code choices[0].delta.content} joined, in order */
    public static String content(List<JsonNode> chunks) {
        StringBuilder s = new StringBuilder();
        for (JsonNode c : chunks) {
            JsonNode d = c.path("choices").path(0).path("delta").path("content");
            if (d.isTextual()) {
                s.append(d.textValue());
            }
        }
        return s.toString();
    }

    private static void commonHead(JsonNode body, String object) {
        check(body != null && body.isObject(), "the body must be a JSON object", body);
        check(object.equals(body.path("object").asText(null)), "object must be " + object, body);
        check(body.path("id").isTextual() && !body.path("id").asText().isEmpty(), "id must be a non-empty string",
                body);
        check(body.path("created").isIntegralNumber(), "created must be an integer (unix seconds)", body);
        check(body.path("model").isTextual(), "model must be a string", body);
    }

    private static void assertUsageObject(JsonNode u, JsonNode whole) {
        for (String f : List.of("prompt_tokens", "completion_tokens", "total_tokens")) {
            check(u.path(f).isIntegralNumber(), "usage." + f + " must be an integer", whole);
        }
        check(u.path("total_tokens").asLong() == u.path("prompt_tokens").asLong()
                + u.path("completion_tokens").asLong(), "usage.total_tokens must be prompt + completion", whole);
    }

    private static void check(boolean ok, String what, JsonNode json) {
        if (!ok) {
            throw new AssertionError(what + ": " + json);
        }
    }
}
