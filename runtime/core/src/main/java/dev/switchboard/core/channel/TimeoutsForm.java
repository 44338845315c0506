package dev.switchboard.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.ChannelTimeouts;
import java.util.Set;

/**
 * A channel's {@code timeouts} field: {@code {"connect_ms", "first_byte_ms", "idle_ms", "total_ms"}}, each a
 * number of milliseconds or null for the gateway's default. A change replaces the whole object; null or
 * {@code {}} removes every override.
 */
final class TimeoutsForm {

    static final String FIELD = "timeouts";
    private static final Set<String> NAMES = Set.of("connect_ms", "first_byte_ms", "idle_ms", "total_ms");
    private static final long MAX_MS = 24L * 3600 * 1000;

    private TimeoutsForm() {
    }

    /** @return the overrides the input sets, or {@code null} for none */
    static ChannelTimeouts parse(JsonNode input) {
        Fields f = Fields.of(Fields.of(input).object(FIELD));
        for (var it = f.node().fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!NAMES.contains(name)) {
                throw BadInput.invalid(FIELD + "." + name, FIELD + "." + name + " is not a timeout; use connect_ms, "
                        + "first_byte_ms, idle_ms or total_ms (milliseconds, or null for the gateway's default)");
            }
        }
        ChannelTimeouts t = new ChannelTimeouts(millis(f, "connect_ms"), millis(f, "first_byte_ms"),
                millis(f, "idle_ms"), millis(f, "total_ms"));
        return t.isEmpty() ? null : t;
    }

    private static Long millis(Fields f, String name) {
        Long v = f.optionalInteger(name);
        if (v != null && (v < 1 || v > MAX_MS)) {
            throw BadInput.invalid(FIELD + "." + name, FIELD + "." + name
                    + " must be a number of milliseconds from 1 to 86400000, or null for the gateway's default");
        }
        return v;
    }

    /** @return the answer's {@code timeouts} object: every key, null where the default applies */
    static ObjectNode json(ChannelTimeouts t) {
        ChannelTimeouts v = t == null ? ChannelTimeouts.NONE : t;
        ObjectNode o = Json.object();
        o.put("connect_ms", v.connectMs());
        o.put("first_byte_ms", v.firstByteMs());
        o.put("idle_ms", v.idleMs());
        o.put("total_ms", v.totalMs());
        return o;
    }
}
