package dev.switchboard.api.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP call an adapter asks the core to make for a request. The core adds nothing of the client's: it sets
 * {@code Content-Type}, {@code Content-Length} and {@code Accept-Encoding}, and the adapter sets the vendor's
 * credentials through {@link Builder#header}.
 */
public final class UpstreamCall {

    private final String method;
    private final String url;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String contentType;
    private final boolean passThrough;
    private final boolean stream;

    private UpstreamCall(Builder b) {
        this.method = b.method;
        this.url = Objects.requireNonNull(b.url, "url");
        this.headers = Map.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
        this.passThrough = b.passThrough;
        this.stream = b.stream;
    }

    /**
     * Starts a pass-through call: the client's body goes to {@code url} as it came (with {@code model}
     * rewritten and {@code stream_options.include_usage} added where needed; multipart uploads streamed as
     * they were spooled), and the answer is relayed as OpenAI-shaped bytes.
     *
     * @param url the full upstream URL, e.g. {@code https://api.openai.com/v1/chat/completions}
     * @return a builder
     */
    public static Builder passThrough(String url) {
        Builder b = new Builder("POST", url);
        b.passThrough = true;
        return b;
    }

    /**
     * Starts a translated call with a body the adapter built; the answer goes back through the adapter.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param url the full upstream URL (query string included; the core never logs it)
     * @param body the request body, or {@code null} for none
     * @param contentType the body's content type, e.g. {@code application/json}
     * @return a builder
     */
    public static Builder translated(String method, String url, byte[] body, String contentType) {
        Builder b = new Builder(method, url);
        b.body = body == null ? null : body.clone();
        b.contentType = contentType;
        return b;
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the full upstream URL */
    public String url() {
        return url;
    }

    /** @return headers the adapter sets (credentials, vendor switches) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the adapter's body, or {@code null} for a pass-through call or a call without body */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** @return the content type of the adapter's body, or {@code null} */
    public String contentType() {
        return contentType;
    }

    /** @return whether the core relays the client's body and the upstream's OpenAI-shaped answer as they are */
    public boolean isPassThrough() {
        return passThrough;
    }

    /** @return whether the upstream answer is expected as a server-sent event stream */
    public boolean isStream() {
        return stream;
    }

    /** Builds an {@link UpstreamCall}. */
    public static final class Builder {
        private final String method;
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private String contentType;
        private boolean passThrough;
        private boolean stream;

        private Builder(String method, String url) {
            this.method = Objects.requireNonNull(method, "method");
            this.url = url;
        }

        /**
         * Sets a request header, replacing an earlier one of the same name.
         *
         * @param name the header name
         * @param value the header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * Marks the answer as a server-sent event stream.
         *
         * @param stream whether the answer streams
         * @return this builder
         */
        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        /** @return the call */
        public UpstreamCall build() {
            return new UpstreamCall(this);
        }
    }
}
