package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SiliconFlow's error answers turned into the relay contract's errors and verdicts. Its bodies are rarely
 * OpenAI-shaped: {@code {code, message, data}} with a numeric code, a bare JSON string such as {@code "Api key is
 * invalid"}, or sometimes {@code {error:{...}}}. The rules, first match wins:
 * <ul>
 * <li>rejected key (HTTP 401, or a message saying the key is invalid): the channel's fault, disable it;</li>
 * <li>balance (code 30001, HTTP 402; older answers say 403 with 30001): the channel's fault, disable it;</li>
 * <li>model (30003 disabled, 20012 does not exist): this channel cannot serve the model, another may:
 *     404 {@code model_not_found}, retryable;</li>
 * <li>busy (50603, "System is really busy", HTTP 429; also when it comes as 503): retryable, 429
 *     {@code upstream_rate_limited} when no channel is left;</li>
 * <li>any other 403: the account lacks a permission, so the channel's fault, disable it;</li>
 * <li>5xx, 408, and a 404 not about the model (a wrong base URL): retryable 502;</li>
 * <li>other 4xx: the caller's mistake, passed on with its status and never retried.</li>
 * </ul>
 */
final class SiliconFlowErrors {

    static final String VENDOR = "siliconcloud";
    private static final int MAX_MESSAGE = 500;

    private SiliconFlowErrors() {
    }

    /**
     * @param status the upstream status
     * @param body the upstream body, possibly empty or not JSON
     * @param mapper the plugin's mapper
     * @return the error and its verdict
     */
    static UpstreamError translate(int status, byte[] body, ObjectMapper mapper) {
        JsonNode root = null;
        try {
            root = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            // A proxy's HTML page or plain text: its first line says enough.
        }
        return translate(status, root, body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    /**
     * @param status the upstream status (200 for an error found inside a successful answer)
     * @param root the parsed body, or {@code null} when it was not JSON
     * @param raw the body as text
     * @return the error and its verdict
     */
    static UpstreamError translate(int status, JsonNode root, String raw) {
        String message = null;
        String vendorCode = null;
        String openAiCode = null;
        String openAiType = null;
        String param = null;
        if (root != null && root.isTextual()) {
            message = root.textValue();
        } else if (root != null && root.isObject()) {
            JsonNode e = root.get("error");
            if (e != null && e.isObject()) {
                message = text(e.get("message"));
                openAiCode = text(e.get("code"));
                openAiType = text(e.get("type"));
                param = text(e.get("param"));
                vendorCode = openAiCode != null ? openAiCode : openAiType;
            } else if (e != null && e.isTextual()) {
                message = e.textValue();
            }
            if (message == null) {
                message = text(root.get("message"));
            }
            if (vendorCode == null) {
                vendorCode = text(root.get("code"));
            }
        }
        if (message == null || message.isBlank()) {
            String s = raw.strip();
            message = s.isEmpty() ? "HTTP " + status : s.lines().findFirst().orElse(s);
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String shown = "[" + VENDOR + (vendorCode == null ? "" : " " + vendorCode) + "] " + message;
        String lower = message.toLowerCase(Locale.ROOT);
        String code = vendorCode == null ? "" : vendorCode;

        UpstreamError.Builder b;
        if (status == 401 || "invalid_api_key".equals(code) || lower.contains("api key is invalid")
                || lower.contains("invalid api key")) {
            b = channelsFault(shown);
        } else if (status == 402 || code.equals("30001") || "insufficient_quota".equals(code)
                || lower.contains("balance is insufficient") || lower.contains("insufficient balance")) {
            b = channelsFault(shown);
        } else if (code.equals("30003") || code.equals("20012") || "model_not_found".equals(code)) {
            // The channel lists a model its account cannot use: skip it for this model, another may serve it.
            b = UpstreamError.builder(404, "model_not_found", shown).retryable(true);
        } else if (status == 429 || code.equals("50603") || lower.contains("system is really busy")
                || lower.contains("rate limit")) {
            b = UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded")
                    .retryable(true);
        } else if (status == 403) {
            b = channelsFault(shown);
        } else if (status == 404 && lower.contains("model")) {
            b = UpstreamError.builder(404, "model_not_found", shown).retryable(true);
        } else if (status == 408 || status == 404 || status >= 500 || status < 400) {
            // A 404 that is not about the model means the channel's base URL is wrong, not the client's route.
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        } else {
            b = UpstreamError.builder(status, callerCode(openAiCode, lower), shown)
                    .type(openAiType != null && openAiType.endsWith("_error") ? openAiType
                            : "invalid_request_error");
        }
        return b.param(param).vendorCode(vendorCode).build();
    }

    /** The key or the account cannot serve anything: disable the channel, try another one. */
    private static UpstreamError.Builder channelsFault(String shown) {
        return UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
    }

    /** A code a client can act on, for mistakes the caller made. */
    private static String callerCode(String openAiCode, String lower) {
        if (openAiCode != null && !openAiCode.isBlank() && !openAiCode.chars().allMatch(Character::isDigit)) {
            return openAiCode;
        }
        if (lower.contains("context length") || lower.contains("context_length") || lower.contains("too long")
                || lower.contains("maximum length")) {
            return "context_length_exceeded";
        }
        if (lower.contains("sensitive") || lower.contains("content filter") || lower.contains("inappropriate")) {
            return "content_filter";
        }
        return "invalid_request";
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
