package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link Channel} built by hand, as the core would hand it to an adapter.
 *
 * @param id the channel id
 * @param name the operator's name
 * @param key the vendor key
 * @param baseUrl the base URL, without a trailing slash
 * @param hasCustomBaseUrl whether the operator set it
 * @param config the per-type options
 */
public record TestChannel(long id, String name, String key, String baseUrl, boolean hasCustomBaseUrl,
        JsonNode config) implements Channel {

    /** @return a builder: id 1, name {@code test}, key {@code test-key}, empty config */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TestChannel}. */
    public static final class Builder {
        private long id = 1;
        private String name = "test";
        private String key = "test-key";
        private String baseUrl = "http://127.0.0.1:9";
        private boolean custom = true;
        private JsonNode config = new ObjectMapper().createObjectNode();

        private Builder() {
        }

        /** @param id the channel id @return this builder */
        public Builder id(long id) {
            this.id = id;
            return this;
        }

        /** @param name the name @return this builder */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @param key the vendor key @return this builder */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /**
         * @param url the base URL (a trailing slash is dropped, as the core does)
         * @return this builder
         */
        public Builder baseUrl(String url) {
            this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        /** @param custom whether the operator set the base URL @return this builder */
        public Builder customBaseUrl(boolean custom) {
            this.custom = custom;
            return this;
        }

        /** @param json the {@code config} object as JSON text @return this builder */
        public Builder config(String json) {
            try {
                JsonNode n = new ObjectMapper().readTree(json);
                if (!(n instanceof ObjectNode)) {
                    throw new IllegalArgumentException("config must be a JSON object: " + json);
                }
                this.config = n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** @return the channel */
        public TestChannel build() {
            return new TestChannel(id, name, key, baseUrl, custom, config);
        }
    }
}
