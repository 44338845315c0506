package dev.switchboard.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.routing.Fixtures;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.ChannelTimeouts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A channel's own timeouts, its response time as a moving average, and re-enabling after a re-test. */
class ChannelHealthFieldsTest {

    @TempDir
    Path tmp;

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void timeoutsAreSetShownReplacedAndCleared() throws Exception {
        Channels channels = Fixtures.channels(tmp);
        ChannelRecord c = channels.create(json("{\"name\":\"a\",\"type\":\"fake\",\"key\":\"sk-1234567890\","
                + "\"timeouts\":{\"connect_ms\":500,\"first_byte_ms\":60000}}"));
        assertEquals(new ChannelTimeouts(500L, 60000L, null, null), c.timeouts());
        JsonNode shown = ChannelJson.of(c, true).path("timeouts");
        assertEquals(500, shown.path("connect_ms").asLong());
        assertTrue(shown.path("idle_ms").isNull());

        ChannelRecord renamed = channels.update(c.id(), json("{\"name\":\"b\"}")).orElseThrow();
        assertEquals(c.timeouts(), renamed.timeouts(), "absent: kept");
        ChannelRecord replaced = channels.update(c.id(), json("{\"timeouts\":{\"idle_ms\":1000}}")).orElseThrow();
        assertEquals(new ChannelTimeouts(null, null, 1000L, null), replaced.timeouts());
        // An answer sent back as it came changes nothing.
        ChannelRecord same = channels.update(c.id(), ChannelJson.of(replaced, true)).orElseThrow();
        assertEquals(replaced.timeouts(), same.timeouts());
        assertNull(channels.update(c.id(), json("{\"timeouts\":null}")).orElseThrow().timeouts());

        BadInput unknown = assertThrows(BadInput.class, () -> channels.update(c.id(),
                json("{\"timeouts\":{\"read_ms\":1}}")));
        assertTrue(unknown.getMessage().contains("timeouts.read_ms is not a timeout"), unknown.getMessage());
        BadInput negative = assertThrows(BadInput.class, () -> channels.update(c.id(),
                json("{\"timeouts\":{\"total_ms\":0}}")));
        assertTrue(negative.getMessage().contains("timeouts.total_ms must be a number of milliseconds"),
                negative.getMessage());
    }

    @Test
    void responseTimeIsAMovingAverageStoredInBatches() throws Exception {
        Channels channels = Fixtures.channels(tmp, Fixtures.channel(1, 0, 1, "m"));
        ChannelRecord c = channels.get(1).orElseThrow();
        assertEquals(0, channels.responseTimeMs(c));
        channels.observeResponseTime(1, 100);
        assertEquals(100, channels.responseTimeMs(c), "the first sample stands alone");
        channels.observeResponseTime(1, 200);
        assertEquals(120, channels.responseTimeMs(c), "then each sample weighs a fifth");
        assertEquals(0, channels.get(1).orElseThrow().responseTimeMs(), "not stored yet");
        channels.flushResponseTimes();
        assertEquals(120, channels.get(1).orElseThrow().responseTimeMs());
        channels.recordResponseTime(1, 20);
        assertEquals(100, channels.get(1).orElseThrow().responseTimeMs(), "a test joins the average, stored at once");
    }

    @Test
    void onlyAnAutoDisabledChannelIsReEnabled() {
        Channels channels = Fixtures.channels(tmp, Fixtures.channel(1, 0, 1, "m"), Fixtures.channel(2, 0, 1, "m"));
        channels.autoDisable(1, "bad key");
        channels.setStatus(2, ChannelRecord.DISABLED, "disabled by an operator");
        channels.autoDisable(2, "bad key");
        assertEquals("disabled by an operator", channels.get(2).orElseThrow().statusReason(), "manual stays manual");
        assertFalse(channels.reEnable(2));
        assertTrue(channels.reEnable(1));
        assertEquals(ChannelRecord.ENABLED, channels.get(1).orElseThrow().status());
        assertNull(channels.get(1).orElseThrow().statusReason());
        assertFalse(channels.reEnable(1), "already enabled");
    }
}
