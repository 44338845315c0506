package com.example.switchboard.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.UpstreamError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Acme's {@code {"err_code": N, "err_msg": "..."}} turned into a verdict for the core:
 *
 * <ul>
 *   <li>1001 key refused, 1002 credit used up: the channel's fault, so 502, another channel is tried and this
 *       one is disabled with Acme's message as the reason;</li>
 *   <li>2001 bad parameter, 2002 context too long: the caller's fault, passed on as 400 and never retried;</li>
 *   <li>3001 rate limited: 429, another channel is tried;</li>
 *   <li>anything else, and bodies that are not Acme's (a proxy's HTML page), by status: 5xx try another
 *       channel.</li>
 * </ul>
 */
final class AcmeErrors {

    private static final int MAX_MESSAGE = 500;

    private final ObjectMapper mapper;

    AcmeErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    UpstreamError translate(int status, byte[] body) {
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null && root.has("err_code")) {
                return translate(status, root);
            }
        } catch (IOException notJson) {
            // Not Acme's own error: its first line says enough.
        }
        String raw = new String(body, StandardCharsets.UTF_8).strip();
        String message = "[acme] " + (raw.isEmpty() ? "HTTP " + status : cut(raw.lines().findFirst().orElse(raw)));
        if (status == 429) {
            return UpstreamError.builder(429, "upstream_rate_limited", message).type("rate_limit_exceeded")
                    .retryable(true).build();
        }
        if (status == 401 || status == 403) {
            return UpstreamError.builder(502, "upstream_error", message).disableChannel(true).build();
        }
        if (status >= 400 && status < 500) {
            return UpstreamError.builder(status, "invalid_request", message).build();
        }
        return UpstreamError.builder(502, "upstream_error", message).retryable(true).build();
    }

    UpstreamError translate(int status, JsonNode err) {
        String code = err.path("err_code").asText();
        String message = "[acme " + code + "] " + cut(err.path("err_msg").asText("no message"));
        UpstreamError.Builder b = switch (code) {
            case "1001", "1002" -> UpstreamError.builder(502, "upstream_error", message).disableChannel(true);
            case "2001" -> UpstreamError.builder(400, "invalid_value", message).param(err.path("field").asText(null));
            case "2002" -> UpstreamError.builder(400, "context_length_exceeded", message).param("messages");
            case "3001" -> UpstreamError.builder(429, "upstream_rate_limited", message).type("rate_limit_exceeded")
                    .retryable(true);
            default -> status >= 400 && status < 500
                    ? UpstreamError.builder(status, "invalid_request", message)
                    : UpstreamError.builder(502, "upstream_error", message).retryable(true);
        };
        return b.vendorCode(code).build();
    }

    private static String cut(String s) {
        return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "..." : s;
    }
}
