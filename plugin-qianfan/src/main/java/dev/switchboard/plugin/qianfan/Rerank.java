package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rerank both ways: the client's documents (strings, or objects with {@code text}) as Baidu's list of strings,
 * and Baidu's {@code {results:[{document, relevance_score, index}], usage}} (v1 and v2 alike) in the relay
 * contract's shape: best first, at most {@code top_n}, {@code document:{text}} only when the client asked for
 * {@code return_documents}, tokens in both {@code meta.tokens} and {@code usage}.
 */
final class Rerank {

    private Rerank() {
    }

    /**
     * @param documents the client's {@code documents}
     * @param mapper the plugin's mapper
     * @return the texts
     * @throws UpstreamErrorException a 400 for a document that is neither a string nor {@code {text}}
     */
    static ArrayNode texts(JsonNode documents, ObjectMapper mapper) throws UpstreamErrorException {
        ArrayNode out = mapper.createArrayNode();
        for (int i = 0; i < documents.size(); i++) {
            JsonNode d = documents.get(i);
            if (d.isTextual()) {
                out.add(d.textValue());
            } else if (d.path("text").isTextual()) {
                out.add(d.get("text").textValue());
            } else {
                throw new UpstreamErrorException(V1Errors.invalidRequest("documents[" + i + "]", "documents[" + i
                        + "] must be a string or an object with a string text"));
            }
        }
        return out;
    }

    /**
     * @param request the client's rerank request
     * @param mapper the plugin's mapper
     * @return the v1 body {@code {query, documents, top_n, user_id}}
     * @throws UpstreamErrorException a 400 for unusable documents
     */
    static ObjectNode v1Body(RelayRequest request, ObjectMapper mapper) throws UpstreamErrorException {
        JsonNode in = request.body();
        ObjectNode out = mapper.createObjectNode();
        out.set("query", in.get("query"));
        out.set("documents", texts(in.get("documents"), mapper));
        if (in.path("top_n").canConvertToInt()) {
            out.put("top_n", in.get("top_n").asInt());
        }
        if (in.path("user").isTextual()) {
            out.put("user_id", in.get("user").textValue());
        }
        return out;
    }

    /**
     * @param request the client's request
     * @param body the upstream answer (already checked for errors)
     * @param mapper the plugin's mapper
     * @return the contract's rerank answer
     */
    static TranslatedResponse toOpenAi(RelayRequest request, JsonNode body, ObjectMapper mapper) {
        JsonNode in = request.body();
        boolean withDocuments = in.path("return_documents").asBoolean(false);
        List<JsonNode> results = new ArrayList<>();
        body.path("results").forEach(results::add);
        results.sort(Comparator.comparingDouble((JsonNode r) -> r.path("relevance_score").asDouble()).reversed());
        int topN = in.path("top_n").canConvertToInt() && in.get("top_n").asInt() > 0 ? in.get("top_n").asInt()
                : results.size();
        ObjectNode out = mapper.createObjectNode();
        out.put("id", body.path("id").isTextual() ? body.get("id").textValue() : "rerank-" + request.requestId());
        out.put("model", request.model());
        ArrayNode list = out.putArray("results");
        for (JsonNode r : results.subList(0, Math.min(topN, results.size()))) {
            ObjectNode o = list.addObject();
            int index = r.path("index").asInt();
            o.put("index", index);
            o.set("relevance_score", r.get("relevance_score"));
            if (withDocuments) {
                String text = r.path("document").isTextual() ? r.get("document").textValue()
                        : r.path("document").path("text").isTextual() ? r.get("document").get("text").textValue()
                        : document(in.path("documents").path(index));
                o.putObject("document").put("text", text);
            }
        }
        long prompt = body.path("usage").path("prompt_tokens").asLong(0);
        long total = body.path("usage").path("total_tokens").asLong(prompt);
        ObjectNode tokens = out.putObject("meta").putObject("tokens");
        tokens.put("input_tokens", prompt);
        tokens.put("output_tokens", 0);
        ObjectNode u = out.putObject("usage");
        u.put("prompt_tokens", prompt);
        u.put("total_tokens", total);
        return new TranslatedResponse(out, prompt == 0 ? Usage.NONE : Usage.of(prompt, 0));
    }

    private static String document(JsonNode d) {
        return d.isTextual() ? d.textValue() : d.path("text").asText("");
    }
}
