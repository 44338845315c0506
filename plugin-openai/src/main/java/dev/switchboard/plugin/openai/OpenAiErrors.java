package dev.switchboard.plugin.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * OpenAI's error shape {@code {"error":{"message","type","param","code"}}} turned into a verdict: the caller's
 * mistakes pass through with the upstream status; the account's problems (key, quota, balance) disable the
 * channel; rate limits and server errors try another channel.
 */
final class OpenAiErrors {

    private static final int MAX_MESSAGE = 500;

    private OpenAiErrors() {
    }

    static UpstreamError translate(String vendor, int status, byte[] body, ObjectMapper mapper) {
        String message = null;
        String code = null;
        String type = null;
        String param = null;
        try {
            JsonNode root = mapper.readTree(body);
            JsonNode e = root == null ? null : root.path("error");
            if (e != null && e.isObject()) {
                message = text(e.get("message"));
                code = text(e.get("code"));
                type = text(e.get("type"));
                param = text(e.get("param"));
            } else if (e != null && e.isTextual()) {
                message = e.textValue();
            } else if (root != null && root.isObject()) {
                message = text(root.get("message"));
            }
        } catch (IOException notJson) {
            // A proxy's HTML page or plain text: its first line says enough.
        }
        if (message == null) {
            String raw = new String(body, StandardCharsets.UTF_8).strip();
            message = raw.isEmpty() ? "HTTP " + status : raw.lines().findFirst().orElse(raw);
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String vendorCode = code != null ? code : type;
        String shown = "[" + vendor + (vendorCode == null ? "" : " " + vendorCode) + "] " + message;
        String lower = (String.valueOf(code) + " " + type + " " + message).toLowerCase(Locale.ROOT);

        UpstreamError.Builder b;
        if (status == 401 || status == 403 || "invalid_api_key".equals(code) || "account_deactivated".equals(code)) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (status == 402 || "insufficient_quota".equals(code) || "insufficient_quota".equals(type)
                || lower.contains("balance") || lower.contains("billing") || lower.contains("credit")) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (status == 429) {
            b = UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded")
                    .retryable(true);
        } else if (status == 404 && ("model_not_found".equals(code) || lower.contains("model"))) {
            // The channel lists a model its upstream lacks: another channel may have it.
            b = UpstreamError.builder(404, "model_not_found", shown).retryable(true);
        } else if (status == 408 || status >= 500) {
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        } else {
            String clientCode = code != null ? code : status == 404 ? "not_found" : "invalid_request";
            b = UpstreamError.builder(status >= 400 && status < 500 ? status : 502, clientCode, shown)
                    .type(type != null && status < 500 ? type : status < 500 ? "invalid_request_error"
                            : "upstream_error");
        }
        return b.param(param).vendorCode(vendorCode).build();
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
