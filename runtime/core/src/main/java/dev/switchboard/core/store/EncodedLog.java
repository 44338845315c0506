package dev.switchboard.core.store;

import dev.switchboard.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A log entry as the stores keep it: its id and its encoding ({@link Json#recordBytes}). The usage recorder
 * encodes each entry as its request settles, so the store's writer only writes: encoding a whole window's entries
 * in the writer, some 3 ms of CPU in one run at 1 connection, was the longest thing the gateway did at once, and on
 * a 2-core machine such a run holds up the request in flight. Only the bytes are kept (some 500 per entry), not the
 * entry's objects beside them, so what is buffered while a store is unreachable ({@code usage.buffer}) stays about
 * the size it was.
 *
 * @param id the entry's id
 * @param json its encoding
 */
public record EncodedLog(long id, byte[] json) {

    /** @param entry an entry @return its id and encoding */
    public static EncodedLog of(LogRecord entry) {
        return new EncodedLog(entry.id(), Json.recordBytes(entry));
    }

    /** @param entries entries @return each encoded, in the same order */
    public static List<EncodedLog> all(List<LogRecord> entries) {
        List<EncodedLog> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(of(e)));
        return out;
    }
}
