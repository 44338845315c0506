package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.UpstreamError;
import java.util.Locale;
import java.util.Optional;

/**
 * Qianfan v2's {@code {"error":{"code","message","type"},"id"}} bodies. The statuses Baidu pairs with its codes
 * are not certain (providers.md 2b), so the code decides where it is known and the status only otherwise.
 */
final class V2Errors {

    private V2Errors() {
    }

    /**
     * @param body any upstream JSON answer
     * @return the error when the body carries an {@code error} object
     */
    static Optional<UpstreamError> inBody(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("error").isObject()) {
            return Optional.empty();
        }
        return Optional.of(of(200, body.get("error")));
    }

    /**
     * @param status the upstream status (200 for an error in a successful answer)
     * @param error the {@code error} object
     * @return the error with its verdict
     */
    static UpstreamError of(int status, JsonNode error) {
        String code = text(error.get("code"));
        String type = text(error.get("type"));
        String message = text(error.get("message"));
        String vendorCode = code != null ? code : type;
        String shown = "[qianfan" + (vendorCode == null ? "" : " " + vendorCode) + "] "
                + V1Errors.clip(message == null || message.isBlank() ? "HTTP " + status : message);
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        String all = (c + " " + type + " " + message).toLowerCase(Locale.ROOT);
        UpstreamError.Builder b;
        if (c.contains("rate_limit") || c.contains("qps") || c.contains("rpm") || c.contains("tpm")) {
            b = rateLimited(shown);
        } else if (c.contains("quota") || c.contains("arrear") || all.contains("balance")
                || all.contains("insufficient")) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (c.equals("access_denied") || c.contains("iam") || c.contains("auth") || c.contains("permission")
                || c.contains("invalid_api_key") || status == 401 || status == 403) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (c.equals("invalid_model") || c.equals("model_not_found") || c.equals("no_such_model")) {
            // The channel lists a model its account lacks: another channel may serve it.
            b = UpstreamError.builder(404, "model_not_found", shown).retryable(true);
        } else if (c.equals("tokens_too_long") || c.contains("context_length")) {
            b = UpstreamError.builder(400, "context_length_exceeded", shown);
        } else if (c.equals("malformed_json")) {
            b = UpstreamError.builder(400, "invalid_json", shown);
        } else if (status == 429) {
            b = rateLimited(shown);
        } else if (status >= 400 && status < 500 && status != 408) {
            b = UpstreamError.builder(status, code != null ? code : "invalid_value", shown);
        } else if (status / 100 == 2 && c.startsWith("invalid")) {
            // An error inside a successful answer: its code says whose fault it is.
            b = UpstreamError.builder(400, code, shown);
        } else {
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        }
        return b.vendorCode(vendorCode).build();
    }

    private static UpstreamError.Builder rateLimited(String shown) {
        return UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded").retryable(true);
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
