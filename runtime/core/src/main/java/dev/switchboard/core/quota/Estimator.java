package dev.switchboard.core.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import java.util.Map;
import java.util.Set;

/**
 * Estimates a request from its body: the prompt counted as OpenAI counts chat messages (3 tokens per message, the
 * role and content, 1 more per {@code name}, 3 to prime the reply), inputs of embeddings, rerank and moderations,
 * characters of a speech input, images asked for; completion from {@code max_completion_tokens} or
 * {@code max_tokens} (times {@code n}), else the configured default.
 */
public final class Estimator {

    /**
     * The roles of chat messages, each one token in both encodings (a test checks it): counted without the
     * tokenizer, which costs a microsecond a call however short the text.
     */
    static final Set<String> ONE_TOKEN_ROLES = Set.of("system", "user", "assistant", "tool", "developer", "function");

    private final Tokenizer tokenizer;

    /** @param tokenizer counts text */
    public Estimator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** @return the tokenizer */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * @param op the operation
     * @param model the model
     * @param body the JSON body
     * @param form the fields of a multipart request
     * @param defaultMaxTokens completion tokens when the body sets none
     * @return the estimate
     */
    public Estimate estimate(Operation op, String model, JsonNode body, Map<String, String> form,
            long defaultMaxTokens) {
        return switch (op) {
            case CHAT -> new Estimate(chatPrompt(model, body), completion(body, defaultMaxTokens), 0);
            case COMPLETIONS -> new Estimate(texts(model, body.path("prompt")), completion(body, defaultMaxTokens), 0);
            case EMBEDDINGS, MODERATIONS -> new Estimate(texts(model, body.path("input")), 0, 0);
            case RERANK -> new Estimate(tokenizer.estimate(model, body.path("query").asText(""))
                    + texts(model, body.path("documents")), 0, 0);
            case IMAGES -> new Estimate(tokenizer.estimate(model, body.path("prompt").asText("")), 0,
                    Math.max(1, body.path("n").asLong(1)));
            case SPEECH -> new Estimate(body.path("input").asText("").length(), 0, 0);
            default -> new Estimate(0, 0, 0);
        };
    }

    /** Chat prompt tokens, as OpenAI's cookbook counts them. */
    long chatPrompt(String model, JsonNode body) {
        long n = 3;
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText("");
            n += 3 + (ONE_TOKEN_ROLES.contains(role) ? 1 : tokenizer.estimate(model, role));
            n += content(model, m.path("content"));
            if (m.hasNonNull("name")) {
                n += 1 + tokenizer.estimate(model, m.path("name").asText());
            }
            for (JsonNode call : m.path("tool_calls")) {
                n += tokenizer.estimate(model, call.path("function").toString());
            }
        }
        if (body.has("tools")) {
            n += tokenizer.estimate(model, body.get("tools").toString());
        }
        return n;
    }

    private long content(String model, JsonNode content) {
        if (content.isTextual()) {
            return tokenizer.estimate(model, content.asText());
        }
        long n = 0;
        for (JsonNode part : content) {
            if (part.has("text")) {
                n += tokenizer.estimate(model, part.path("text").asText());
            } else if (part.has("image_url")) {
                n += 85; // A low-detail image; the upstream's usage settles the real figure.
            }
        }
        return n;
    }

    /** A string, an array of strings, objects with {@code text}, or token id arrays. */
    private long texts(String model, JsonNode input) {
        if (input.isTextual()) {
            return tokenizer.estimate(model, input.asText());
        }
        long n = 0;
        for (JsonNode item : input) {
            if (item.isNumber()) {
                n++;
            } else if (item.isTextual()) {
                n += tokenizer.estimate(model, item.asText());
            } else if (item.has("text")) {
                n += tokenizer.estimate(model, item.path("text").asText());
            } else if (item.isArray()) {
                n += item.size();
            }
        }
        return n;
    }

    private static long completion(JsonNode body, long defaultMaxTokens) {
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
                : body.get("max_tokens");
        long perChoice = max != null && max.canConvertToLong() && max.asLong() > 0 ? max.asLong() : defaultMaxTokens;
        long choices = Math.max(1, Math.min(128, body.path("n").asLong(1)));
        return perChoice * choices;
    }
}
