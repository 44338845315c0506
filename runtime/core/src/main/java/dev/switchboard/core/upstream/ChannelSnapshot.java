package dev.switchboard.core.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.ChannelRecord;
import java.net.URI;

/**
 * A channel as an adapter sees it, with its key in clear and its base URL resolved: the channel's own
 * {@code base_url} (given without a path, it gets the type's default path, as One API users write bases), else
 * the type's default.
 *
 * @param id the channel id
 * @param name the channel name
 * @param key the vendor key
 * @param baseUrl the resolved base URL, without trailing slash
 * @param hasCustomBaseUrl whether the channel set one
 * @param config the per-type options
 */
public record ChannelSnapshot(long id, String name, String key, String baseUrl, boolean hasCustomBaseUrl,
        JsonNode config) implements Channel {

    /**
     * @param c the stored channel
     * @param key its key, opened
     * @param type its type
     * @return the snapshot
     */
    public static ChannelSnapshot of(ChannelRecord c, String key, ChannelType type) {
        String base = c.baseUrl() == null ? trim(type.defaultBaseUrl()) : withDefaultPath(c.baseUrl(), type);
        return new ChannelSnapshot(c.id(), c.name(), key, base, c.baseUrl() != null,
                c.config() == null ? Json.object() : c.config());
    }

    static String withDefaultPath(String base, ChannelType type) {
        String b = trim(base);
        String path = URI.create(b).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            String defaultPath = URI.create(type.defaultBaseUrl()).getRawPath();
            return defaultPath == null ? b : b + trim(defaultPath);
        }
        return b;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        // Never the key.
        return "channel " + id + " (" + name + ")";
    }
}
