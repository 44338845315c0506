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

/** Schema 2: migration from 1, users, write-behind batches that patch balances only, logs, backup. */
class MapDbStoreAccountingTest {

    @TempDir
    Path dir;

    static LogRecord log(long id, long createdAt) {
        return new LogRecord(id, createdAt, LogRecord.RELAY, 1, 2, "t", 3, "gpt-4o", "gpt-4o", false, 10, 5, 0, 42,
                false, false, 100, 200, 200, null, List.of(new LogRecord.AttemptEntry(3, 200, 150, null)),
                "127.0.0.1", "req_1", null);
    }

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

    @Test
    void usageBatchesPatchBalancesAndKeepConfiguration() {
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            TokenRecord t = await(store.saveToken(Records.token("a")));
            ChannelRecord c = await(store.saveChannel(Records.channel("c")));
            UserRecord u = await(store.saveUser(new UserRecord(1, "root", null, "root", "enabled", "default", 0, true,
                    0, 0, "hash", null, null, 1)));
            // A configuration change committed before the batch is applied is kept.
            await(store.saveToken(new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), t.status(),
                    t.expiresAt(), t.unlimitedQuota(), t.remainQuota(), t.usedQuota(), t.models(), t.subnets(),
                    t.group(), t.rpm(), t.tpm(), t.maxConcurrency(), t.userId(), t.createdAt())));
            await(store.writeUsage(new UsageBatch(Map.of(t.id(), new UsageBatch.TokenBalance(7, 8), 999L,
                    new UsageBatch.TokenBalance(1, 1)), Map.of(u.id(), new UsageBatch.UserBalance(0, 8, 1)),
                    Map.of(c.id(), 12L), List.of(log(5_000_000, 5), log(6_000_000, 6)))));
            TokenRecord after = store.tokens().get(0);
            assertEquals("renamed", after.name());
            assertEquals(7, after.remainQuota());
            assertEquals(8, after.usedQuota());
            assertEquals(1, store.tokens().size(), "a deleted (unknown) token is not recreated");
            assertEquals(1, store.users().get(0).requestCount());
            assertEquals(12, store.channels().get(0).usedQuota());
            assertEquals(6_000_000, store.lastLogId());
            List<Long> ids = new ArrayList<>();
            store.scanLogs(0, Long.MAX_VALUE, true, e -> ids.add(e.id()));
            assertEquals(List.of(6_000_000L, 5_000_000L), ids);
            assertEquals(log(5_000_000, 5), first(store));
            assertEquals(1, await(store.deleteLogsBefore(6_000_000, 100)));
            assertEquals(6_000_000, first(store).id());
        }
    }

    private static LogRecord first(MapDbStore store) {
        LogRecord[] out = new LogRecord[1];
        store.scanLogs(0, Long.MAX_VALUE, false, e -> {
            out[0] = e;
            return false;
        });
        return out[0];
    }

    @Test
    void aBackupIsAWholeStoreThatOpens() {
        Path copy = dir.resolve("backup.db");
        TokenRecord t;
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            t = await(store.saveToken(Records.token("kept")));
            await(store.saveChannel(Records.channel("kept")));
            await(store.writeUsage(new UsageBatch(Map.of(), Map.of(), Map.of(), List.of(log(9_000_000, 9)))));
            await(store.putMeta("admin_token_sha256", "abc"));
            await(store.backup(copy));
            await(store.saveToken(Records.token("after the backup")));
        }
        try (MapDbStore restored = new MapDbStore(copy)) {
            assertEquals(List.of(t), restored.tokens());
            assertEquals(1, restored.channels().size());
            assertEquals(9_000_000, restored.lastLogId());
            assertEquals("abc", restored.meta("admin_token_sha256").orElseThrow());
            TokenRecord next = await(restored.saveToken(Records.token("next")));
            assertEquals(t.id() + 1, next.id(), "id counters are copied");
        }
    }
}
