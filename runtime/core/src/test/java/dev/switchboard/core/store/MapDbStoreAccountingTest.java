package dev.switchboard.core.store;

import static dev.switchboard.core.store.Records.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * Upgrades of an existing store file: schema 1 to 2, and the request log's move to its own layout (the rest of the
 * contract is in {@link StoreContract}).
 */
class MapDbStoreAccountingTest {

    @TempDir
    Path dir;

    @Test
    void aVersionOneStoreIsMigratedWithItsTokensKept() {
        Path file = dir.resolve("v1.db");
        TokenRecord token;
        try (MapDbStore v1 = new MapDbStore(file)) {
            token = await(v1.saveToken(Records.token("old")));
        }
        DB raw = DBMaker.fileDB(file.toFile()).transactionEnable().make();
        raw.hashMap("meta", Serializer.STRING, Serializer.STRING).createOrOpen().put("schema_version", "1");
        raw.commit();
        raw.close();
        try (MapDbStore v2 = new MapDbStore(file)) {
            assertEquals("2", v2.meta("schema_version").orElseThrow());
            assertEquals(List.of(token), v2.tokens());
            assertTrue(v2.users().isEmpty());
            UserRecord next = await(v2.saveUser(new UserRecord(0, "alice", null, "user", "enabled", "default", 0,
                    false, 0, 0, null, null, null, 1)));
            assertEquals(2, next.id(), "ids after root's (1), which the user registry creates");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"logs", "request_logs"})
    void aRequestLogInTheOldLayoutMovesOverWhole(String oldName) {
        Path file = dir.resolve("old-log.db");
        new MapDbStore(file).close();
        DB raw = DBMaker.fileDB(file.toFile()).transactionEnable().make();
        var old = raw.treeMap(oldName, Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        List<LogRecord> written = new ArrayList<>();
        for (int i = 1; i <= 25_000; i++) {
            LogRecord entry = StoreContract.log(i * 1000L, i);
            written.add(entry);
            old.put(entry.id(), dev.switchboard.core.json.Json.recordBytes(entry));
        }
        raw.commit();
        raw.close();
        try (MapDbStore upgraded = new MapDbStore(file)) {
            List<LogRecord> read = new ArrayList<>();
            upgraded.scanLogs(0, Long.MAX_VALUE, false, read::add);
            assertEquals(written, read, "every entry, in order, more than one move batch");
            assertEquals(25_000_000L, upgraded.lastLogId());
            await(upgraded.writeUsage(new UsageBatch(Map.of(), Map.of(), Map.of(),
                    EncodedLog.all(List.of(StoreContract.log(30_000_000L, 30))))));
        }
        try (MapDbStore reopened = new MapDbStore(file)) {
            List<LogRecord> read = new ArrayList<>();
            reopened.scanLogs(0, Long.MAX_VALUE, true, read::add);
            assertEquals(25_001, read.size(), "moved once: a second start neither loses nor repeats entries");
            assertEquals(30_000_000L, read.get(0).id());
        }
    }
}
