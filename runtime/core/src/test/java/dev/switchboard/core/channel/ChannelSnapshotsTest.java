package dev.switchboard.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.routing.Fixtures;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.upstream.ChannelSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel as adapters see it is built once per version of the channel and of its type, not per request. */
class ChannelSnapshotsTest {

    @TempDir
    Path tmp;

    private static ChannelType type(String defaultBase) {
        return ChannelType.builder("fake").name("fake").defaultBaseUrl(defaultBase).build();
    }

    @Test
    void theSameChannelAndTypeGiveTheSameSnapshotAndAChangeANewOne() throws Exception {
        Channels channels = Fixtures.channels(tmp);
        ChannelRecord c = channels.create(Json.MAPPER.readTree("{\"name\":\"a\",\"type\":\"fake\","
                + "\"key\":\"sk-first-key-123456\",\"base_url\":\"http://10.0.0.5:3000\"}"));
        ChannelType type = type("https://vendor.example/v1");

        ChannelSnapshot first = channels.snapshot(c, type);
        assertEquals("http://10.0.0.5:3000/v1", first.baseUrl());
        assertEquals("sk-first-key-123456", first.key());
        assertSame(first, channels.snapshot(channels.get(c.id()).orElseThrow(), type), "reused while unchanged");

        ChannelRecord changed = channels.update(c.id(), Json.MAPPER.readTree(
                "{\"key\":\"sk-second-key-654321\",\"base_url\":\"http://10.0.0.6:3000/proxy\"}")).orElseThrow();
        ChannelSnapshot second = channels.snapshot(changed, type);
        assertEquals("http://10.0.0.6:3000/proxy", second.baseUrl());
        assertEquals("sk-second-key-654321", second.key());

        // A plugin update brings another type (here with another default path): the base is resolved again.
        c = channels.update(c.id(), Json.MAPPER.readTree("{\"base_url\":\"http://10.0.0.7\"}")).orElseThrow();
        ChannelSnapshot before = channels.snapshot(c, type);
        ChannelSnapshot after = channels.snapshot(c, type("https://vendor.example/api/v2"));
        assertNotSame(before, after);
        assertEquals("http://10.0.0.7/v1", before.baseUrl());
        assertEquals("http://10.0.0.7/api/v2", after.baseUrl());
    }
}
