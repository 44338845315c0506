package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.server.Answers;

/**
 * An error the relay answers in OpenAI's shape, with the status and code of the relay contract's table, plus
 * {@code vendor_code} and {@code channel_id} when an upstream answered.
 */
public final class RelayError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final String vendorCode;
    private final Long channelId;

    RelayError(int status, String type, String code, String param, String message, String vendorCode,
            Long channelId) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.vendorCode = vendorCode;
        this.channelId = channelId;
    }

    static RelayError of(int status, String code, String message) {
        return new RelayError(status, Answers.typeFor(status), code, null, message, null, null);
    }

    static RelayError typed(int status, String type, String code, String message) {
        return new RelayError(status, type, code, null, message, null, null);
    }

    static RelayError invalid(String code, String param, String message) {
        return new RelayError(400, "invalid_request_error", code, param, message, null, null);
    }

    /**
     * @param e the adapter's translation of an upstream error
     * @param channelId the channel that answered
     * @param channelKey the channel's key, scrubbed from the vendor's message should the vendor echo it
     * @return the client's error
     */
    static RelayError upstream(UpstreamError e, long channelId, String channelKey) {
        return new RelayError(e.status(), e.type(), e.code(), e.param(),
                dev.switchboard.core.store.KeyScrub.scrub(e.message(), channelKey), e.vendorCode(), channelId);
    }

    /** @return a copy with another status, type, code and message; vendor code and channel kept */
    RelayError withStatus(int newStatus, String newType, String newCode, String message) {
        return new RelayError(newStatus, newType, newCode, param, message, vendorCode, channelId);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** @return the body {@code {"error":{...}}} */
    ObjectNode body() {
        ObjectNode root = Answers.error(getMessage(), type, code, param);
        ObjectNode e = (ObjectNode) root.get("error");
        if (vendorCode != null) {
            e.put("vendor_code", vendorCode);
        }
        if (channelId != null) {
            e.put("channel_id", channelId);
        }
        return root;
    }
}
