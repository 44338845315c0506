package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /v1/rerank} to SiliconFlow's {@code /rerank} and back into the contract's rerank shape, the form
 * FastGPT reads: {@code {id, model, results:[{index, relevance_score, document?:{text}}], meta:{tokens:
 * {input_tokens, output_tokens}}, usage:{prompt_tokens, total_tokens}}}, best first, {@code document} only when
 * the request had {@code return_documents: true}.
 */
final class RerankTranslation {

    private final ObjectMapper mapper;

    RerankTranslation(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The upstream body: the client's, with the upstream model name, and documents given as {@code {text}}
     * objects (Cohere's and Jina's form) sent as the plain strings SiliconFlow takes. Other fields
     * ({@code top_n}, {@code return_documents}, {@code max_chunks_per_doc}, {@code overlap_tokens},
     * {@code instruction}, anything new) go as they came.
     *
     * @param request the client's request
     * @return the upstream body
     */
    ObjectNode request(RelayRequest request) {
        ObjectNode body = request.body().isObject() ? (ObjectNode) request.body().deepCopy() : mapper.createObjectNode();
        body.put("model", request.upstreamModel());
        JsonNode docs = body.get("documents");
        if (docs instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode d = a.get(i);
                if (d.isObject() && d.path("text").isTextual()) {
                    a.set(i, d.get("text"));
                }
            }
        }
        return body;
    }

    /**
     * @param request the client's request
     * @param body SiliconFlow's answer
     * @return the contract's rerank answer and its usage
     * @throws UpstreamErrorException when the answer holds no results
     */
    TranslatedResponse response(RelayRequest request, JsonNode body) throws UpstreamErrorException {
        JsonNode results = body.get("results");
        if (results == null || !results.isArray()) {
            if (body.has("code") || body.has("message") || body.has("error")) {
                throw new UpstreamErrorException(SiliconFlowErrors.translate(200, body, body.toString()));
            }
            throw new UpstreamErrorException(UpstreamError.builder(502, "upstream_error",
                    "[" + SiliconFlowErrors.VENDOR + "] the rerank answer holds no results").retryable(true).build());
        }
        JsonNode asked = request.body();
        boolean withDocuments = asked.path("return_documents").asBoolean(false);
        List<JsonNode> sorted = new ArrayList<>();
        results.forEach(sorted::add);
        sorted.sort(Comparator.comparingDouble((JsonNode r) -> -r.path("relevance_score").asDouble())
                .thenComparingInt(r -> r.path("index").asInt()));
        int topN = asked.path("top_n").canConvertToInt() && asked.path("top_n").asInt() > 0
                ? asked.path("top_n").asInt() : Integer.MAX_VALUE;

        ObjectNode out = mapper.createObjectNode();
        out.put("id", body.path("id").isTextual() ? body.get("id").textValue() : "rerank-" + request.requestId());
        out.put("model", request.model());
        ArrayNode list = out.putArray("results");
        for (JsonNode r : sorted.subList(0, Math.min(topN, sorted.size()))) {
            ObjectNode item = list.addObject();
            int index = r.path("index").asInt();
            item.put("index", index);
            item.set("relevance_score", r.path("relevance_score").isNumber() ? r.get("relevance_score")
                    : mapper.getNodeFactory().numberNode(r.path("relevance_score").asDouble()));
            if (withDocuments) {
                String text = documentText(r.get("document"));
                if (text == null) {
                    text = documentText(asked.path("documents").path(index));
                }
                if (text != null) {
                    item.putObject("document").put("text", text);
                }
            }
        }
        long[] tokens = tokens(body);
        ObjectNode t = out.putObject("meta").putObject("tokens");
        t.put("input_tokens", tokens[0]);
        t.put("output_tokens", tokens[1]);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", tokens[0]);
        usage.put("total_tokens", tokens[0] + tokens[1]);
        Usage billed = tokens[0] == 0 && tokens[1] == 0 ? Usage.NONE : Usage.of(tokens[0], tokens[1]);
        return new TranslatedResponse(out, billed);
    }

    /** Input and output tokens from {@code meta.tokens}, else {@code tokens}, else {@code usage}; zeros if none. */
    static long[] tokens(JsonNode body) {
        for (JsonNode t : new JsonNode[] {body.path("meta").path("tokens"), body.path("tokens")}) {
            if (t.isObject() && (t.has("input_tokens") || t.has("output_tokens"))) {
                return new long[] {t.path("input_tokens").asLong(0), t.path("output_tokens").asLong(0)};
            }
        }
        JsonNode u = body.path("usage");
        if (u.isObject()) {
            long in = u.path("prompt_tokens").asLong(u.path("input_tokens").asLong(0));
            long outTokens = u.path("completion_tokens").asLong(u.path("output_tokens").asLong(0));
            if (in == 0 && outTokens == 0) {
                in = u.path("total_tokens").asLong(0);
            }
            return new long[] {in, outTokens};
        }
        return new long[] {0, 0};
    }

    private static String documentText(JsonNode d) {
        if (d == null || d.isNull() || d.isMissingNode()) {
            return null;
        }
        if (d.isTextual()) {
            return d.textValue();
        }
        return d.path("text").isTextual() ? d.get("text").textValue() : null;
    }
}
