package dev.switchboard.core.store;

import dev.switchboard.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A log entry with its encoding ({@link Json#recordBytes}), the form every store keeps entries in. The usage
 * recorder encodes each entry as its request settles, so the store's writer only writes: encoding a whole window's
 * entries in the writer, some 3 ms of CPU in one run at 1 connection, was the longest thing the gateway did at once,
 * and on a 2-core machine such a run holds up the request in flight.
 *
 * @param entry the entry
 * @param json its encoding
 */
public record EncodedLog(LogRecord entry, byte[] json) {

    /** @param entry an entry @return it with its encoding */
    public static EncodedLog of(LogRecord entry) {
        return new EncodedLog(entry, Json.recordBytes(entry));
    }

    /** @param entries entries @return each with its encoding, in the same order */
    public static List<EncodedLog> all(List<LogRecord> entries) {
        List<EncodedLog> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(of(e)));
        return out;
    }

    /** @return the entry's id */
    public long id() {
        return entry.id();
    }
}
