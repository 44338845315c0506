package dev.switchboard.api.provider;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A small HTTP call an adapter makes through the core's {@link UpstreamClient}, answered whole in memory.
 */
public final class SideCall {

    private final String method;
    private final String url;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String contentType;

    private SideCall(Builder b) {
        this.method = b.method;
        this.url = b.url;
        this.headers = Map.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
    }

    /**
     * @param url the full URL
     * @return a builder for a {@code GET}
     */
    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    /**
     * @param url the full URL
     * @param body the body, or {@code null}
     * @param contentType the body's content type, or {@code null}
     * @return a builder for a {@code POST}
     */
    public static Builder post(String url, byte[] body, String contentType) {
        Builder b = new Builder("POST", url);
        b.body = body == null ? null : body.clone();
        b.contentType = contentType;
        return b;
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the full URL */
    public String url() {
        return url;
    }

    /** @return the request headers */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the body, or {@code null} */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** @return the body's content type, or {@code null} */
    public String contentType() {
        return contentType;
    }

    /** Builds a {@link SideCall}. */
    public static final class Builder {
        private final String method;
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private String contentType;

        private Builder(String method, String url) {
            this.method = method;
            this.url = Objects.requireNonNull(url, "url");
        }

        /**
         * @param name header name
         * @param value header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** @return the call */
        public SideCall build() {
            return new SideCall(this);
        }
    }

    /**
     * The answer to a side call.
     *
     * @param status the HTTP status
     * @param contentType the content type, or {@code null}
     * @param body the whole body
     */
    public record Result(int status, String contentType, byte[] body) {

        /** @return the body decoded as UTF-8 */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
