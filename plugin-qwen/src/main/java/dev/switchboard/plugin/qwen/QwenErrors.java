package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * DashScope's errors turned into the relay contract's table and routing verdicts. Both shapes are read: native
 * {@code {code, message, request_id}} and compatible {@code {"error":{message, type, param, code}, request_id}}, also
 * when they come as an SSE body ({@code event:error ... data:{...}}). The verdict goes by DashScope's code first,
 * then by status:
 * <ul>
 * <li>the channel's fault, disable it and try another: {@code InvalidApiKey}, {@code AccessDenied*},
 * {@code Arrearage}, {@code Throttling.AllocationQuota}, {@code insufficient_quota}, any 401/402/403;</li>
 * <li>rate limits, try another, 429 when none is left: {@code Throttling*}, any 429;</li>
 * <li>the caller's, not retried: {@code DataInspectionFailed} (400 {@code content_filter}),
 * {@code InvalidParameter} (400; {@code context_length_exceeded} when it is about input length),
 * {@code BadRequest.TooLarge} (413);</li>
 * <li>the upstream's trouble, try another: 5xx (502), {@code RequestTimeOut} (504).</li>
 * </ul>
 * The client sees DashScope's code in {@code vendor_code} and its message after {@code [qwen <code>]}.
 */
final class QwenErrors {

    private static final int MAX_MESSAGE = 500;

    private QwenErrors() {
    }

    /**
     * @param status the upstream status
     * @param body the upstream body: JSON in either shape, an SSE error event, or anything else
     * @param mapper the plugin's mapper
     * @return the error and verdict
     */
    static UpstreamError translate(int status, byte[] body, ObjectMapper mapper) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode root = parse(sseData(text), mapper);
        if (root != null && root.isObject()) {
            JsonNode e = root.get("error");
            if (e != null && e.isObject()) {
                String code = str(e.get("code"));
                return verdict(status, code != null ? code : str(e.get("type")), str(e.get("message")),
                        str(e.get("param")));
            }
            if (e != null && e.isTextual()) {
                return verdict(status, null, e.textValue(), null);
            }
            if (root.has("code") || root.has("message")) {
                return verdict(status, str(root.get("code")), str(root.get("message")), null);
            }
        }
        String raw = text.strip();
        return verdict(status, null, raw.isEmpty() ? "HTTP " + status : raw.lines().findFirst().orElse(raw), null);
    }

    /**
     * An error that arrived inside a 200 stream ({@code event:error}, or a data line with a {@code code}); its
     * {@code :HTTP_STATUS/nnn} comment is not an event, so the status comes from the code.
     *
     * @param data the event's JSON
     * @return the error and verdict
     */
    static UpstreamError inBand(JsonNode data) {
        JsonNode e = data.path("error").isObject() ? data.get("error") : data;
        String code = str(e.get("code"));
        if (code == null) {
            code = str(e.get("type"));
        }
        return verdict(statusOf(code), code, str(e.get("message")), str(e.get("param")));
    }

    /**
     * @param code a DashScope code, possibly {@code null}
     * @return the HTTP status DashScope answers it with (the spec's table); 500 when unknown
     */
    static int statusOf(String code) {
        String n = normal(code);
        if (n.equals("invalidapikey")) {
            return 401;
        }
        if (n.contains("accessdenied")) {
            return 403;
        }
        if (n.startsWith("throttling") || n.equals("limitrequests")) {
            return 429;
        }
        if (n.equals("requesttimeout")) {
            return 408;
        }
        if (n.equals("badrequesttoolarge")) {
            return 413;
        }
        if (n.equals("modelnotfound")) {
            return 404;
        }
        if (n.equals("serviceunavailable")) {
            return 503;
        }
        if (n.equals("arrearage") || n.contains("datainspection") || n.startsWith("invalidparameter")
                || n.startsWith("badrequest")) {
            return 400;
        }
        return 500;
    }

    static UpstreamError verdict(int status, String code, String message, String param) {
        String m = message == null || message.isBlank() ? "HTTP " + status : message.strip();
        if (m.length() > MAX_MESSAGE) {
            m = m.substring(0, MAX_MESSAGE) + "...";
        }
        String shown = "[qwen" + (code == null ? "" : " " + code) + "] " + m;
        String n = normal(code);
        String lower = m.toLowerCase(Locale.ROOT);
        UpstreamError.Builder b;
        if (n.equals("invalidapikey") || n.contains("accessdenied") || n.equals("arrearage")
                || n.equals("throttlingallocationquota") || n.startsWith("allocationquota")
                || n.equals("insufficientquota") || status == 401 || status == 402 || status == 403) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (n.contains("datainspection")) {
            b = UpstreamError.builder(400, "content_filter", shown);
        } else if (n.startsWith("throttling") || n.equals("limitrequests") || n.equals("ratelimitexceeded")
                || status == 429) {
            b = UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded").retryable(true);
        } else if (n.equals("modelnotfound") || lower.contains("model not exist") || lower.contains("model not found")
                || status == 404 && lower.contains("model")) {
            // The channel lists a model its account lacks: another channel may have it.
            b = UpstreamError.builder(404, "model_not_found", shown).retryable(true);
        } else if (n.equals("requesttimeout") || status == 408 || status == 504) {
            b = UpstreamError.builder(504, "upstream_timeout", shown).retryable(true);
        } else if (status >= 500 || status < 400) {
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        } else if (n.equals("badrequesttoolarge") || status == 413) {
            b = UpstreamError.builder(413, "body_too_large", shown);
        } else if (lower.contains("length") && (lower.contains("input") || lower.contains("context")
                || lower.contains("token"))) {
            b = UpstreamError.builder(400, "context_length_exceeded", shown);
        } else if (n.startsWith("invalidparameter")) {
            b = UpstreamError.builder(status, "invalid_value", shown);
        } else {
            b = UpstreamError.builder(status, "invalid_request", shown);
        }
        return b.param(param).vendorCode(code).build();
    }

    /** The JSON of an SSE error body ({@code data:} lines), or the text itself when it is not one. */
    private static String sseData(String text) {
        String t = text.stripLeading();
        if (!(t.startsWith("id:") || t.startsWith("event:") || t.startsWith("data:") || t.startsWith(":"))) {
            return text;
        }
        String last = null;
        for (String line : t.split("\r\n|\r|\n")) {
            if (line.startsWith("data:")) {
                last = line.substring(5).strip();
            }
        }
        return last == null ? text : last;
    }

    private static JsonNode parse(String text, ObjectMapper mapper) {
        try {
            return mapper.readTree(text);
        } catch (IOException notJson) {
            // A proxy's HTML page or plain text: its first line says enough.
            return null;
        }
    }

    private static String normal(String code) {
        return code == null ? "" : code.toLowerCase(Locale.ROOT).replaceAll("[._\\-\\s]", "");
    }

    private static String str(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.textValue() : n.toString();
        return s.isEmpty() ? null : s;
    }
}
