package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Embeddings both ways. Native: {@code input} (a string or strings) becomes {@code input.texts},
 * {@code dimensions} becomes {@code parameters.dimension} (and {@code text_type} passes), the answer's
 * {@code text_index} becomes {@code index} and {@code usage.total_tokens} is billed as prompt tokens. Either mode:
 * DashScope answers floats, so when the client asked {@code encoding_format:"base64"} (the OpenAI SDKs' default)
 * each vector is encoded here as little-endian float32 in base64.
 */
final class Embeddings {

    private Embeddings() {
    }

    /**
     * @param client the client's body
     * @return whether the client wants base64 vectors
     */
    static boolean wantsBase64(JsonNode client) {
        return "base64".equals(client.path("encoding_format").asText());
    }

    /**
     * @param client the client's OpenAI body
     * @param upstreamModel the model to ask for
     * @param mapper the plugin's mapper
     * @return the native body
     * @throws UpstreamErrorException 400 when the input is not text (token arrays)
     */
    static ObjectNode nativeRequest(JsonNode client, String upstreamModel, ObjectMapper mapper)
            throws UpstreamErrorException {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", upstreamModel);
        ArrayNode texts = body.putObject("input").putArray("texts");
        JsonNode input = client.path("input");
        if (input.isTextual()) {
            texts.add(input.textValue());
        } else {
            for (JsonNode t : input) {
                if (!t.isTextual()) {
                    throw new UpstreamErrorException(UpstreamError.builder(400, "invalid_value",
                            "input must be a string or an array of strings for qwen embeddings (token arrays are"
                                    + " not accepted)").param("input").build());
                }
                texts.add(t.textValue());
            }
        }
        ObjectNode p = body.putObject("parameters");
        if (client.hasNonNull("dimensions")) {
            p.set("dimension", client.get("dimensions").deepCopy());
        }
        for (String same : new String[] {"text_type", "output_type", "instruct"}) {
            if (client.hasNonNull(same)) {
                p.set(same, client.get(same).deepCopy());
            }
        }
        return body;
    }

    /**
     * @param body the native answer {@code {output:{embeddings:[{text_index, embedding}]}, usage:{total_tokens}}}
     * @param clientModel the model name the client asked for
     * @param base64 whether to encode the vectors
     * @param mapper the plugin's mapper
     * @return the OpenAI list, sorted by index
     */
    static TranslatedResponse fromNative(JsonNode body, String clientModel, boolean base64, ObjectMapper mapper) {
        List<JsonNode> items = new ArrayList<>();
        body.path("output").path("embeddings").forEach(items::add);
        items.sort(Comparator.comparingInt(e -> e.path("text_index").asInt()));
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (JsonNode e : items) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", e.path("text_index").asInt());
            d.set("embedding", vector(e.path("embedding"), base64, mapper));
        }
        out.put("model", clientModel);
        long tokens = body.path("usage").path("total_tokens").asLong(0);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return new TranslatedResponse(out, Usage.of(tokens, 0));
    }

    /**
     * A compatible-mode answer (OpenAI's shape, floats), with vectors encoded when the client asked for base64.
     *
     * @param body the answer
     * @param base64 whether to encode
     * @param mapper the plugin's mapper
     * @return the client's answer and its usage
     */
    static TranslatedResponse fromCompatible(JsonNode body, boolean base64, ObjectMapper mapper) {
        ObjectNode out = body.deepCopy();
        if (base64) {
            for (JsonNode d : out.path("data")) {
                if (d instanceof ObjectNode o && o.path("embedding").isArray()) {
                    o.set("embedding", vector(o.get("embedding"), true, mapper));
                }
            }
        }
        JsonNode u = body.path("usage");
        long prompt = u.path("prompt_tokens").asLong(u.path("total_tokens").asLong(0));
        return new TranslatedResponse(out, Usage.of(prompt, 0));
    }

    private static JsonNode vector(JsonNode floats, boolean base64, ObjectMapper mapper) {
        if (!base64 || !floats.isArray()) {
            return floats.deepCopy();
        }
        return mapper.getNodeFactory().textNode(base64(floats));
    }

    /**
     * @param floats a JSON array of numbers
     * @return base64 of the numbers as little-endian float32, as OpenAI encodes them
     */
    static String base64(JsonNode floats) {
        ByteBuffer b = ByteBuffer.allocate(floats.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode f : floats) {
            b.putFloat((float) f.asDouble());
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
