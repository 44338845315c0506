package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Channel;

/** A channel snapshot as the core builds it (base URL already resolved). */
record TestChannel(long id, String name, String key, String baseUrl, boolean hasCustomBaseUrl, JsonNode config)
        implements Channel {

    /** @param id the id @param key the key @param base the custom base URL @return a v1 channel */
    static TestChannel v1(long id, String key, String base) {
        return new TestChannel(id, "v1-" + id, key, base, true, TestRequest.parse("{}"));
    }

    /** @param id the id @param key the key @param base the custom base URL @return a v2 channel */
    static TestChannel v2(long id, String key, String base) {
        return new TestChannel(id, "v2-" + id, key, base, true, TestRequest.parse("{\"api_version\":\"v2\"}"));
    }

    /** @param json the config @return this channel with it */
    TestChannel config(String json) {
        return new TestChannel(id, name, key, baseUrl, hasCustomBaseUrl, TestRequest.parse(json));
    }

    @Override
    public String toString() {
        return "channel " + id;
    }
}
