package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.UpstreamError;
import java.util.Optional;
import java.util.Set;

/**
 * Baidu v1's {@code {error_code, error_msg}} bodies (sent with HTTP 200, also for streams) and the token
 * endpoint's {@code {error, error_description}}, turned into the relay contract's errors and routing verdicts.
 * The client sees Baidu's code in {@code vendor_code} and its message after {@code [qianfan <code>]}.
 */
final class V1Errors {

    /** The access token is invalid (110) or expired (111): drop it, fetch another, send again once. */
    static final Set<Long> TOKEN_CODES = Set.of(110L, 111L);

    private static final Set<Long> KEY_CODES = Set.of(13L, 14L, 100L, 110L, 6L, 15L);
    private static final Set<Long> BALANCE_CODES = Set.of(17L, 19L);
    private static final Set<Long> RATE_CODES = Set.of(4L, 18L, 336501L, 336502L);
    private static final Set<Long> SERVER_CODES = Set.of(336000L, 336100L);
    private static final int MAX_MESSAGE = 500;

    private V1Errors() {
    }

    /**
     * @param body any upstream JSON answer
     * @return the error when the body carries an {@code error_code}
     */
    static Optional<UpstreamError> inBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        JsonNode code = body.get("error_code");
        if (code == null || code.isNull()) {
            return Optional.empty();
        }
        long n = code.canConvertToLong() ? code.asLong() : parse(code.asText());
        return Optional.of(of(n, code.asText(), body.path("error_msg").asText("")));
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param code the numeric code (-1 when not numeric)
     * @param vendorCode the code as Baidu wrote it
     * @param message Baidu's {@code error_msg}
     * @return the error with its verdict
     */
    static UpstreamError of(long code, String vendorCode, String message) {
        String shown = "[qianfan " + vendorCode + "] " + clip(message.isBlank() ? "error " + vendorCode : message);
        UpstreamError.Builder b;
        if (TOKEN_CODES.contains(code)) {
            // Seen again after the re-authentication, 110 means the key itself is no longer accepted.
            b = UpstreamError.builder(502, "upstream_error", shown).refreshAndRetry(true).retryable(true)
                    .disableChannel(code == 110);
        } else if (KEY_CODES.contains(code) || BALANCE_CODES.contains(code)) {
            b = UpstreamError.builder(502, "upstream_error", shown).disableChannel(true);
        } else if (RATE_CODES.contains(code)) {
            b = UpstreamError.builder(429, "upstream_rate_limited", shown).type("rate_limit_exceeded")
                    .retryable(true);
        } else if (code >= 336001 && code <= 336005 || code == 336104 || code == 336105) {
            b = UpstreamError.builder(400, callerCode(code, message), shown).type("invalid_request_error");
        } else if (SERVER_CODES.contains(code)) {
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        } else {
            b = UpstreamError.builder(502, "upstream_error", shown).retryable(true);
        }
        return b.vendorCode(vendorCode).build();
    }

    private static String callerCode(long code, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("too long") || m.contains("max length") || m.contains("exceed")) {
            return "context_length_exceeded";
        }
        return code == 336002 ? "invalid_json" : "invalid_value";
    }

    /**
     * @param error the token endpoint's {@code error}, e.g. {@code invalid_client}
     * @param description its {@code error_description}, e.g. {@code unknown client id}
     * @return a channel fault: the key pair is refused, so the channel is disabled with Baidu's reason
     */
    static UpstreamError tokenRefused(String error, String description) {
        String shown = "[qianfan " + error + "] " + clip(description == null || description.isBlank()
                ? "the token exchange was refused" : description);
        return UpstreamError.builder(502, "upstream_error", shown).disableChannel(true).vendorCode(error).build();
    }

    /**
     * @param why what went wrong, with no URL (the token URL carries the secret key)
     * @return a retryable channel fault
     */
    static UpstreamError exchangeFailed(String why) {
        return UpstreamError.builder(502, "upstream_error", "[qianfan] the access token exchange failed: " + why)
                .retryable(true).build();
    }

    /**
     * @param why why the channel's key cannot be used
     * @return a channel fault that disables it
     */
    static UpstreamError badChannelKey(String why) {
        return UpstreamError.builder(502, "upstream_error", "[qianfan] " + why).disableChannel(true).build();
    }

    /**
     * A request Baidu would refuse, stopped at the gateway with a message that says what to change.
     *
     * @param param the field at fault, e.g. {@code messages[2]}
     * @param message what is wrong and what to do
     * @return a 400 that no other channel is tried for
     */
    static UpstreamError invalidRequest(String param, String message) {
        return UpstreamError.builder(400, "invalid_value", "[qianfan] " + message).type("invalid_request_error")
                .param(param).build();
    }

    static String clip(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    }
}
