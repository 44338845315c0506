package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognises whichever of Baidu's error shapes an answer carries, whatever its status: v1 {@code error_code},
 * v2 {@code {"error":{...}}}, or the token endpoint's {@code {"error":"invalid_client"}}; a body in none of them
 * is judged by its status.
 */
final class ErrorBodies {

    private ErrorBodies() {
    }

    /**
     * @param body a parsed answer
     * @return the error it carries, if any
     */
    static Optional<UpstreamError> inBody(JsonNode body) {
        Optional<UpstreamError> v1 = V1Errors.inBody(body);
        if (v1.isPresent()) {
            return v1;
        }
        if (body != null && body.path("error").isTextual()) {
            return Optional.of(V1Errors.tokenRefused(body.get("error").textValue(),
                    body.path("error_description").asText("")));
        }
        return V2Errors.inBody(body);
    }

    /**
     * @param status the upstream status
     * @param body the raw body
     * @param mapper the plugin's mapper
     * @return the error for the client, never {@code null}
     */
    static UpstreamError translate(int status, byte[] body, ObjectMapper mapper) {
        JsonNode tree = null;
        try {
            tree = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            // A proxy's page: judged by the status below.
        }
        if (tree != null && tree.path("error").isObject()) {
            return V2Errors.of(status, tree.get("error"));
        }
        Optional<UpstreamError> known = inBody(tree);
        if (known.isPresent()) {
            return known.get();
        }
        String raw = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        String first = raw.isEmpty() ? "HTTP " + status : raw.lines().findFirst().orElse(raw);
        String shown = "[qianfan] " + V1Errors.clip(first);
        if (status == 401 || status == 403) {
            return UpstreamError.builder(502, "upstream_error", shown).disableChannel(true).build();
        }
        if (status == 429) {
            return UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded")
                    .retryable(true).build();
        }
        if (status == 404) {
            return UpstreamError.builder(404, "model_not_found", shown).retryable(true).build();
        }
        if (status >= 400 && status < 500 && status != 408) {
            return UpstreamError.builder(status, "invalid_value", shown).build();
        }
        return UpstreamError.builder(502, "upstream_error", shown).retryable(true).build();
    }
}
