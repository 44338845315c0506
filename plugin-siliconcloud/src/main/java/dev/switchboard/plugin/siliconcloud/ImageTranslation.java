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
import java.util.List;

/**
 * {@code POST /v1/images/generations} to SiliconFlow's {@code /images/generations}: OpenAI's
 * {@code {prompt, n, size}} become {@code {prompt, batch_size, image_size}}, and the answer's
 * {@code images[].url} become OpenAI's {@code data[].url}. SiliconFlow answers with URLs only, so a request for
 * {@code response_format: b64_json} is refused before any call (another channel type may honour it).
 */
final class ImageTranslation {

    /** OpenAI fields SiliconFlow has no use for; everything else (its own fields too) is sent as it came. */
    private static final List<String> OPENAI_ONLY = List.of("n", "size", "response_format", "quality", "style",
            "user", "background", "moderation", "output_format", "output_compression");

    private final ObjectMapper mapper;

    ImageTranslation(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param request the client's request
     * @return the upstream body
     * @throws UpstreamErrorException 400 when the client asked for base64 images
     */
    ObjectNode request(RelayRequest request) throws UpstreamErrorException {
        JsonNode asked = request.body();
        String format = asked.path("response_format").asText("url");
        if (!format.isEmpty() && !format.equals("url")) {
            throw new UpstreamErrorException(UpstreamError.builder(400, "unsupported_parameter", "["
                    + SiliconFlowErrors.VENDOR + "] response_format " + format
                    + " is not available: SiliconFlow answers with image URLs; send response_format url")
                    .param("response_format").retryable(true).build());
        }
        ObjectNode body = asked.isObject() ? (ObjectNode) asked.deepCopy() : mapper.createObjectNode();
        body.remove(OPENAI_ONLY);
        body.put("model", request.upstreamModel());
        // SiliconFlow's own names win when a client already used them.
        if (!body.has("batch_size") && asked.path("n").canConvertToInt()) {
            body.put("batch_size", asked.path("n").asInt());
        }
        if (!body.has("image_size") && asked.path("size").isTextual() && !asked.path("size").asText().equals("auto")) {
            body.put("image_size", asked.path("size").textValue());
        }
        return body;
    }

    /**
     * @param body SiliconFlow's answer {@code {images:[{url}], timings, seed}}
     * @param createdSeconds the time to report as {@code created}
     * @return OpenAI's {@code {created, data:[{url}]}}; no token usage (images are priced per image)
     * @throws UpstreamErrorException when the answer holds no images
     */
    TranslatedResponse response(JsonNode body, long createdSeconds) throws UpstreamErrorException {
        JsonNode images = body.path("images");
        if (!images.isArray()) {
            images = body.path("data");
        }
        if (!images.isArray() || images.isEmpty()) {
            if (body.has("code") || body.has("message") || body.has("error")) {
                throw new UpstreamErrorException(SiliconFlowErrors.translate(200, body, body.toString()));
            }
            throw new UpstreamErrorException(UpstreamError.builder(502, "upstream_error",
                    "[" + SiliconFlowErrors.VENDOR + "] the image answer holds no images").retryable(true).build());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("created", body.path("created").canConvertToLong() ? body.get("created").asLong() : createdSeconds);
        ArrayNode data = out.putArray("data");
        for (JsonNode image : images) {
            ObjectNode item = data.addObject();
            if (image.isTextual()) {
                item.put("url", image.textValue());
            } else if (image.path("url").isTextual()) {
                item.put("url", image.get("url").textValue());
            } else if (image.path("b64_json").isTextual()) {
                item.put("b64_json", image.get("b64_json").textValue());
            }
        }
        return new TranslatedResponse(out, Usage.NONE);
    }
}
