package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which v1 endpoint serves a model: the channel's {@code config.endpoints} first, then the table of
 * providers.md 2a, then the lower-cased model name. A bare endpoint name goes under the operation's folder
 * ({@code chat/}, {@code embeddings/}, {@code reranker/}); a value holding a {@code /} is already a path under
 * {@code wenxinworkshop/}.
 */
final class EndpointTable {

    /** The vendor's documented names; keys compare case-insensitively. */
    static final Map<String, String> DEFAULTS = defaults();

    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private EndpointTable() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ERNIE-4.0-8K", "completions_pro");
        m.put("ERNIE-4.0", "completions_pro");
        m.put("ERNIE-Bot-4", "completions_pro");
        m.put("ERNIE-3.5-8K", "completions");
        m.put("ERNIE-Bot", "completions");
        m.put("ERNIE-Bot-turbo", "eb-instant");
        m.put("ERNIE-Lite-8K-0922", "eb-instant");
        m.put("ERNIE-Speed", "ernie_speed");
        m.put("ERNIE-Speed-8K", "ernie_speed");
        m.put("ERNIE-Speed-128K", "ernie-speed-128k");
        m.put("ERNIE-Bot-8K", "ernie_bot_8k");
        m.put("ERNIE-Lite-8K-0308", "ernie-lite-8k");
        m.put("ERNIE-Tiny-8K", "ernie-tiny-8k");
        m.put("ERNIE-4.0-Turbo-8K", "ernie-4.0-turbo-8k");
        m.put("ERNIE-3.5-128K", "ernie-3.5-128k");
        m.put("ERNIE-Character-8K", "ernie-char-8k");
        m.put("BLOOMZ-7B", "bloomz_7b1");
        m.put("Embedding-V1", "embedding-v1");
        m.put("bge-large-zh", "bge_large_zh");
        m.put("bge-large-en", "bge_large_en");
        m.put("tao-8k", "tao_8k");
        m.put("bce-reranker-base_v1", "reranker/bce_reranker_base");
        Map<String, String> lower = new LinkedHashMap<>();
        m.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return Map.copyOf(lower);
    }

    /**
     * @param op the operation
     * @param upstreamModel the model after the channel's mapping
     * @param requestedModel the model the client named
     * @param overrides the channel's {@code config.endpoints}, or {@code null}
     * @return the path under {@code wenxinworkshop/}, e.g. {@code chat/completions_pro}
     */
    static String path(Operation op, String upstreamModel, String requestedModel, JsonNode overrides) {
        String endpoint = override(overrides, upstreamModel);
        if (endpoint == null && requestedModel != null && !requestedModel.equals(upstreamModel)) {
            endpoint = override(overrides, requestedModel);
        }
        if (endpoint == null) {
            endpoint = DEFAULTS.get(upstreamModel.toLowerCase(Locale.ROOT));
        }
        if (endpoint == null) {
            endpoint = upstreamModel.toLowerCase(Locale.ROOT);
        }
        return endpoint.contains("/") ? endpoint : folder(op) + endpoint;
    }

    private static String override(JsonNode overrides, String model) {
        if (overrides == null || !overrides.isObject()) {
            return null;
        }
        JsonNode exact = overrides.get(model);
        if (exact != null && exact.isTextual()) {
            return exact.textValue();
        }
        for (Map.Entry<String, JsonNode> e : overrides.properties()) {
            if (e.getKey().equalsIgnoreCase(model) && e.getValue().isTextual()) {
                return e.getValue().textValue();
            }
        }
        return null;
    }

    private static String folder(Operation op) {
        return switch (op) {
            case EMBEDDINGS -> "embeddings/";
            case RERANK -> "reranker/";
            default -> "chat/";
        };
    }

    /**
     * @param endpoints the channel's {@code config.endpoints}, or {@code null}
     * @return one message per bad entry
     */
    static List<String> validate(JsonNode endpoints) {
        List<String> problems = new ArrayList<>();
        if (endpoints == null || !endpoints.isObject()) {
            return problems;
        }
        for (Map.Entry<String, JsonNode> e : endpoints.properties()) {
            String where = "config.endpoints." + e.getKey();
            if (e.getKey().isBlank()) {
                problems.add("config.endpoints has an empty model name; use the model name clients request");
            } else if (!e.getValue().isTextual() || !ENDPOINT.matcher(e.getValue().textValue()).matches()) {
                problems.add(where + " must be an endpoint name such as \"completions_pro\" or a path such as"
                        + " \"chat/abcd1234\" (letters, digits, . _ - and /)");
            }
        }
        return problems;
    }
}
