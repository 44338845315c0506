package dev.switchboard.api.provider;

import java.util.Objects;

/**
 * An upstream failure translated for the client and for routing: the OpenAI error the client would see, and
 * whether another channel should be tried and whether this channel should be disabled.
 *
 * <p>Errors the client caused (a bad parameter, a content filter) are neither retryable nor disabling. Errors
 * that are the channel's (a rejected vendor key, an empty balance, a 5xx, a rate limit) are retryable on
 * another channel; a rejected key or an exhausted vendor balance also disables the channel, with the vendor's
 * message as the reason.
 */
public final class UpstreamError {

    private final int status;
    private final String type;
    private final String code;
    private final String message;
    private final String param;
    private final String vendorCode;
    private final boolean retryable;
    private final boolean disableChannel;
    private final boolean refreshAndRetry;

    private UpstreamError(Builder b) {
        this.status = b.status;
        this.type = Objects.requireNonNull(b.type, "type");
        this.code = Objects.requireNonNull(b.code, "code");
        this.message = Objects.requireNonNull(b.message, "message");
        this.param = b.param;
        this.vendorCode = b.vendorCode;
        this.retryable = b.retryable;
        this.disableChannel = b.disableChannel;
        this.refreshAndRetry = b.refreshAndRetry;
    }

    /**
     * Starts an error.
     *
     * @param status the HTTP status the client gets when no other channel is tried, e.g. 400
     * @param code the OpenAI-style error code, e.g. {@code context_length_exceeded}
     * @param message the vendor's message, prefixed by its type and code, e.g. {@code [qwen Throttling] ...}
     * @return a builder; the type defaults to {@code invalid_request_error} below 500 and {@code upstream_error}
     *     above
     */
    public static Builder builder(int status, String code, String message) {
        return new Builder(status, code, message);
    }

    /** @return the HTTP status for the client */
    public int status() {
        return status;
    }

    /** @return the OpenAI error type, e.g. {@code invalid_request_error} */
    public String type() {
        return type;
    }

    /** @return the OpenAI-style error code */
    public String code() {
        return code;
    }

    /** @return the message, starting with the vendor's own */
    public String message() {
        return message;
    }

    /** @return the request parameter at fault, or {@code null} */
    public String param() {
        return param;
    }

    /** @return the vendor's own error code as a string, or {@code null} */
    public String vendorCode() {
        return vendorCode;
    }

    /** @return whether another channel may succeed where this one failed */
    public boolean retryable() {
        return retryable;
    }

    /** @return whether the channel should be disabled (its key or account is unusable) */
    public boolean disableChannel() {
        return disableChannel;
    }

    /**
     * @return whether the adapter dropped cached credentials that the vendor no longer accepts (an expired access
     *     token): the core then prepares the call again and re-sends it once on the same channel, before any
     *     byte reached the client and without counting it as a routing attempt
     */
    public boolean refreshAndRetry() {
        return refreshAndRetry;
    }

    /** Builds an {@link UpstreamError}. */
    public static final class Builder {
        private final int status;
        private final String code;
        private final String message;
        private String type;
        private String param;
        private String vendorCode;
        private boolean retryable;
        private boolean disableChannel;
        private boolean refreshAndRetry;

        private Builder(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
            this.type = status >= 500 ? "upstream_error" : "invalid_request_error";
        }

        /** @param type the OpenAI error type @return this builder */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** @param param the parameter at fault @return this builder */
        public Builder param(String param) {
            this.param = param;
            return this;
        }

        /** @param vendorCode the vendor's own code @return this builder */
        public Builder vendorCode(String vendorCode) {
            this.vendorCode = vendorCode;
            return this;
        }

        /** @param retryable whether another channel may succeed @return this builder */
        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        /**
         * Marks the channel as unusable (bad key, no balance); implies retryable.
         *
         * @param disable whether to disable the channel
         * @return this builder
         */
        public Builder disableChannel(boolean disable) {
            this.disableChannel = disable;
            if (disable) {
                this.retryable = true;
            }
            return this;
        }

        /**
         * Asks the core to prepare and send the call once more on the same channel, after the adapter dropped
         * credentials the vendor refused as expired. Only the first such error of a request is retried.
         *
         * @param refresh whether to re-prepare and re-send once
         * @return this builder
         */
        public Builder refreshAndRetry(boolean refresh) {
            this.refreshAndRetry = refresh;
            return this;
        }

        /** @return the error */
        public UpstreamError build() {
            return new UpstreamError(this);
        }
    }
}
