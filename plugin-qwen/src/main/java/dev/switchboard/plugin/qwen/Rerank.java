package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rerank through DashScope's native {@code text-rerank} service, in every mode. The client's
 * {@code {model, query, documents, top_n, return_documents}} becomes {@code {model, input:{query, documents},
 * parameters:{top_n, return_documents}}}; the answer becomes the relay contract's shape {@code {id, model,
 * results:[{index, relevance_score, document?:{text}}], meta:{tokens:{input_tokens, output_tokens}},
 * usage:{prompt_tokens, total_tokens}}}, best first, with {@code document} only when the client asked for it.
 */
final class Rerank {

    private Rerank() {
    }

    /**
     * @param client the client's body
     * @param upstreamModel the model to ask for
     * @param mapper the plugin's mapper
     * @return the native body
     */
    static ObjectNode nativeRequest(JsonNode client, String upstreamModel, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", upstreamModel);
        ObjectNode input = body.putObject("input");
        input.put("query", client.path("query").asText());
        ArrayNode docs = input.putArray("documents");
        for (JsonNode d : client.path("documents")) {
            docs.add(documentText(d));
        }
        ObjectNode p = body.putObject("parameters");
        if (client.hasNonNull("top_n")) {
            p.set("top_n", client.get("top_n").deepCopy());
        }
        p.put("return_documents", returnDocuments(client));
        if (client.hasNonNull("instruct")) {
            p.set("instruct", client.get("instruct").deepCopy());
        }
        return body;
    }

    /**
     * @param body the native answer
     * @param client the client's body (for {@code return_documents} and the documents' text)
     * @param clientModel the model name the client asked for
     * @param mapper the plugin's mapper
     * @return the contract's rerank answer
     */
    static TranslatedResponse fromNative(JsonNode body, JsonNode client, String clientModel, ObjectMapper mapper) {
        List<JsonNode> results = new ArrayList<>();
        body.path("output").path("results").forEach(results::add);
        // Stable sort: equal scores keep DashScope's order.
        results.sort(Comparator.comparingDouble((JsonNode r) -> r.path("relevance_score").asDouble()).reversed());
        boolean withDocuments = returnDocuments(client);
        ObjectNode out = mapper.createObjectNode();
        out.put("id", body.path("request_id").asText(""));
        out.put("model", clientModel);
        ArrayNode list = out.putArray("results");
        JsonNode docs = client.path("documents");
        for (JsonNode r : results) {
            ObjectNode o = list.addObject();
            int index = r.path("index").asInt();
            o.put("index", index);
            o.set("relevance_score", r.path("relevance_score").deepCopy());
            if (withDocuments) {
                String text = r.path("document").path("text").isTextual() ? r.path("document").path("text").asText()
                        : documentText(docs.path(index));
                o.putObject("document").put("text", text);
            }
        }
        long tokens = body.path("usage").path("total_tokens").asLong(0);
        out.putObject("meta").putObject("tokens").put("input_tokens", tokens).put("output_tokens", 0);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return new TranslatedResponse(out, Usage.of(tokens, 0));
    }

    private static boolean returnDocuments(JsonNode client) {
        return client.path("return_documents").asBoolean(false);
    }

    /** A document is a string, or (as some clients send) an object with {@code text}. */
    private static String documentText(JsonNode d) {
        return d.isTextual() ? d.textValue() : d.path("text").asText(d.isMissingNode() ? "" : d.toString());
    }
}
