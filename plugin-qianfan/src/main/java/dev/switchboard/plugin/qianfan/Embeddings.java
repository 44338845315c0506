package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Embeddings both ways: the client's {@code input} as the list of texts Baidu takes, and Baidu's float vectors
 * (v1 {@code embedding_list} or v2 {@code list}) as OpenAI's {@code list}, base64-encoded (little-endian
 * float32) when the client asked for {@code encoding_format: "base64"}, as the OpenAI SDKs do by default.
 */
final class Embeddings {

    private Embeddings() {
    }

    /** @param request the client's request @return whether it asked for base64 vectors */
    static boolean wantsBase64(RelayRequest request) {
        return "base64".equals(request.body().path("encoding_format").asText(null));
    }

    /**
     * @param input the client's {@code input}
     * @param mapper the plugin's mapper
     * @return the texts
     * @throws UpstreamErrorException a 400 for token arrays, which Baidu cannot take
     */
    static ArrayNode texts(JsonNode input, ObjectMapper mapper) throws UpstreamErrorException {
        ArrayNode out = mapper.createArrayNode();
        if (input.isTextual()) {
            return out.add(input.textValue());
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode t = input.get(i);
            if (!t.isTextual()) {
                throw new UpstreamErrorException(V1Errors.invalidRequest("input[" + i + "]", "input[" + i
                        + "] is not a string; Baidu Qianfan embeds texts only, not token arrays"));
            }
            out.add(t.textValue());
        }
        return out;
    }

    /**
     * @param request the client's request
     * @param body Baidu's answer (already checked for errors)
     * @param mapper the plugin's mapper
     * @return OpenAI's {@code list}
     */
    static TranslatedResponse toOpenAi(RelayRequest request, JsonNode body, ObjectMapper mapper) {
        boolean base64 = wantsBase64(request);
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        int i = 0;
        for (JsonNode d : body.path("data")) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", d.path("index").canConvertToInt() ? d.get("index").asInt() : i);
            JsonNode vector = d.path("embedding");
            if (base64 && vector.isArray()) {
                e.put("embedding", encode(vector));
            } else {
                e.set("embedding", vector.deepCopy());
            }
            i++;
        }
        out.put("model", request.model());
        long prompt = body.path("usage").path("prompt_tokens").asLong(0);
        long total = body.path("usage").path("total_tokens").asLong(prompt);
        ObjectNode u = out.putObject("usage");
        u.put("prompt_tokens", prompt);
        u.put("total_tokens", total);
        return new TranslatedResponse(out, prompt == 0 ? Usage.NONE : Usage.of(prompt, 0));
    }

    /** @param vector floats @return base64 of their little-endian float32 bytes */
    static String encode(JsonNode vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode f : vector) {
            b.putFloat((float) f.asDouble());
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
