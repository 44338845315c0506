package dev.switchboard.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Channel records stored before channels had timeouts of their own still load; new ones keep them. */
class ChannelRecordJsonTest {

    @Test
    void aRecordWithoutTimeoutsLoadsWithNoneAndTimeoutsRoundTrip() {
        String old = "{\"id\":3,\"name\":\"a\",\"type\":\"openai\",\"key_cipher\":\"x\",\"key_masked\":\"sk-...\","
                + "\"models\":[\"m\"],\"model_mapping\":{},\"groups\":[\"default\"],\"priority\":0,\"weight\":1,"
                + "\"status\":\"enabled\",\"config\":{},\"response_time_ms\":12,\"used_quota\":0,\"created_at\":1}";
        ChannelRecord c = Json.record(old.getBytes(StandardCharsets.UTF_8), ChannelRecord.class);
        assertNull(c.timeouts());
        assertEquals(ChannelTimeouts.NONE, c.timeoutsOrNone());
        assertEquals(12, c.responseTimeMs());

        ChannelRecord with = new ChannelRecord(c.id(), c.name(), c.type(), c.keyCipher(), c.keyMasked(), null,
                c.models(), c.modelMapping(), c.groups(), 0, 1, c.status(), null, c.config(), null, 12, null, null,
                null, 0, 1, new ChannelTimeouts(500L, null, 2000L, null));
        ChannelRecord back = Json.record(Json.recordBytes(with), ChannelRecord.class);
        assertEquals(with.timeouts(), back.timeouts());
        assertEquals(with.withResponseTime(40).timeouts(), back.timeouts());
    }
}
