package dev.switchboard.core.store;

import static dev.switchboard.core.store.Records.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Store} contract, run against every store (MapDB and PostgreSQL): records saved with assigned ids,
 * replaced, deleted and kept whole; write-behind batches that patch balances only; logs; backups; concurrent
 * writes; what survives a close and reopen; writes after close.
 */
abstract class StoreContract {

    @TempDir
    Path dir;

    /** @return the store under test, opened on the same backing database each call (a reopen after a close) */
    abstract Store open();

    static LogRecord log(long id, long createdAt) {
        return new LogRecord(id, createdAt, LogRecord.RELAY, 1, 2, "t", 3, "gpt-4o", "gpt-4o", false, 10, 5, 0, 42,
                false, false, 100, 200, 200, null, List.of(new LogRecord.AttemptEntry(3, 200, 150, null)),
                "127.0.0.1", "req_1", null);
    }

    static UserRecord user(long id, String name) {
        return new UserRecord(id, name, null, "user", "enabled", "default", 500, false, 0, 0, "hash", null, null, 1);
    }

    @Test
    void newChannelsGetDistinctPositiveIdsAndEveryField() {
        try (Store store = open()) {
            ChannelRecord a = await(store.saveChannel(Records.channel("a")));
            ChannelRecord b = await(store.saveChannel(Records.channel("b")));
            assertTrue(a.id() > 0);
            assertNotEquals(a.id(), b.id());
            assertEquals(Records.channel("a").withId(a.id()), a);
            assertEquals(List.of(a, b), store.channels());
        }
    }

    @Test
    void savingWithAnIdReplacesThatChannel() {
        try (Store store = open()) {
            ChannelRecord saved = await(store.saveChannel(Records.channel("before")));
            ChannelRecord changed = await(store.saveChannel(saved.withStatus(ChannelRecord.ENABLED, null)));
            assertEquals(saved.id(), changed.id());
            assertEquals(List.of(changed), store.channels());
        }
    }

    @Test
    void deletingSaysWhetherItExistedAndIdsAreNotReused() {
        try (Store store = open()) {
            ChannelRecord a = await(store.saveChannel(Records.channel("a")));
            ChannelRecord b = await(store.saveChannel(Records.channel("b")));
            assertTrue(await(store.deleteChannel(b.id())));
            assertFalse(await(store.deleteChannel(b.id())));
            assertEquals(List.of(a), store.channels());
            ChannelRecord c = await(store.saveChannel(Records.channel("c")));
            assertNotEquals(b.id(), c.id());
        }
    }

    @Test
    void tokensAreSavedReplacedAndDeleted() {
        try (Store store = open()) {
            TokenRecord t = await(store.saveToken(Records.token("t1")));
            TokenRecord u = await(store.saveToken(Records.token("t2")));
            assertNotEquals(t.id(), u.id());
            assertEquals(Records.token("t1").withId(t.id()), t);
            assertEquals(List.of(t, u), store.tokens());
            // The configuration is replaced; balances move by usage (and on PostgreSQL by leases, see
            // PostgresStoreContractTest), so the replacement carries the stored ones.
            TokenRecord renamed = new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), "disabled",
                    null, true, t.remainQuota(), t.usedQuota(), List.of(), List.of(), null, null, null, null, 1,
                    t.createdAt());
            await(store.saveToken(renamed));
            assertEquals(List.of(renamed, u), store.tokens());
            assertTrue(await(store.deleteToken(t.id())));
            assertFalse(await(store.deleteToken(t.id())));
            assertEquals(List.of(u), store.tokens());
        }
    }

    @Test
    void usersKeepAnExplicitIdAndNewOnesComeAfterIt() {
        try (Store store = open()) {
            UserRecord root = await(store.saveUser(user(1, "root")));
            UserRecord alice = await(store.saveUser(user(0, "alice")));
            assertEquals(1, root.id());
            assertEquals(2, alice.id());
            assertEquals(List.of(root, alice), store.users());
            assertTrue(await(store.deleteUser(2)));
            assertFalse(await(store.deleteUser(2)));
            assertEquals(List.of(root), store.users());
        }
    }

    @Test
    void pricesGroupsAndMetaAreKept() {
        try (Store store = open()) {
            PriceRecord price = new PriceRecord("gpt-4o", 2_500_000, 10_000_000, 1_250_000, 0, 40_000);
            await(store.savePrice(price));
            await(store.saveGroup(new GroupRecord("vip", new java.math.BigDecimal("0.8"))));
            await(store.putMeta("admin_token_sha256", "abc"));
            assertEquals(List.of(price), store.prices());
            assertEquals(List.of(new GroupRecord("vip", new java.math.BigDecimal("0.8"))), store.groups());
            assertEquals("abc", store.meta("admin_token_sha256").orElseThrow());
            assertTrue(store.meta("nothing").isEmpty());
            assertEquals("abc", store.allMeta().get("admin_token_sha256"));
            assertTrue(await(store.deletePrice("gpt-4o")));
            assertFalse(await(store.deletePrice("gpt-4o")));
            assertTrue(await(store.deleteGroup("vip")));
            assertTrue(store.prices().isEmpty());
            assertTrue(store.groups().isEmpty());
        }
    }

    @Test
    void theSchemaVersionIsRecorded() {
        try (Store store = open()) {
            assertEquals(String.valueOf(Store.SCHEMA_VERSION), store.meta("schema_version").orElseThrow());
        }
        try (Store store = open()) {
            assertEquals(String.valueOf(Store.SCHEMA_VERSION), store.meta("schema_version").orElseThrow());
        }
    }

    @Test
    void usageBatchesPatchBalancesAndKeepConfiguration() {
        try (Store store = open()) {
            TokenRecord t = await(store.saveToken(Records.token("a")));
            ChannelRecord c = await(store.saveChannel(Records.channel("c")));
            UserRecord u = await(store.saveUser(user(1, "root")));
            // A configuration change committed before the batch is applied is kept.
            await(store.saveToken(new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), t.status(),
                    t.expiresAt(), t.unlimitedQuota(), t.remainQuota(), t.usedQuota(), t.models(), t.subnets(),
                    t.group(), t.rpm(), t.tpm(), t.maxConcurrency(), t.userId(), t.createdAt())));
            await(store.writeUsage(new UsageBatch(Map.of(t.id(), new UsageBatch.TokenBalance(7, 8), 999L,
                    new UsageBatch.TokenBalance(1, 1)), Map.of(u.id(), new UsageBatch.UserBalance(3, 8, 1)),
                    Map.of(c.id(), 12L), EncodedLog.all(List.of(log(5_000_000, 5), log(6_000_000, 6))))));
            TokenRecord after = store.tokens().get(0);
            assertEquals("renamed", after.name());
            assertEquals(7, after.remainQuota());
            assertEquals(8, after.usedQuota());
            assertEquals(1, store.tokens().size(), "a deleted (unknown) token is not recreated");
            assertEquals(u.withBalance(3, 8, 1), store.users().get(0));
            assertEquals(12, store.channels().get(0).usedQuota());
        }
    }

    @Test
    void logsAreScannedInEitherOrderAndRetentionDeletesTheOldest() {
        try (Store store = open()) {
            assertEquals(0, store.lastLogId());
            await(store.writeUsage(new UsageBatch(Map.of(), Map.of(), Map.of(),
                    EncodedLog.all(List.of(log(5_000_000, 5), log(6_000_000, 6), log(7_000_000, 7))))));
            assertEquals(7_000_000, store.lastLogId());
            List<Long> ids = new ArrayList<>();
            store.scanLogs(0, Long.MAX_VALUE, true, e -> ids.add(e.id()));
            assertEquals(List.of(7_000_000L, 6_000_000L, 5_000_000L), ids);
            ids.clear();
            store.scanLogs(5_000_001, 7_000_000, false, e -> ids.add(e.id()));
            assertEquals(List.of(6_000_000L), ids);
            LogRecord[] first = new LogRecord[1];
            store.scanLogs(0, Long.MAX_VALUE, false, e -> {
                first[0] = e;
                return false;
            });
            assertEquals(log(5_000_000, 5), first[0], "an entry is read back whole");
            assertEquals(1, await(store.deleteLogsBefore(7_000_000, 1)), "at most max per change");
            assertEquals(1, await(store.deleteLogsBefore(7_000_000, 100)));
            ids.clear();
            store.scanLogs(0, Long.MAX_VALUE, false, e -> ids.add(e.id()));
            assertEquals(List.of(7_000_000L), ids);
        }
    }

    @Test
    void aBackupIsAnEmbeddedStoreThatOpens() {
        Path copy = dir.resolve("backup.db");
        TokenRecord t;
        try (Store store = open()) {
            t = await(store.saveToken(Records.token("kept")));
            await(store.saveChannel(Records.channel("kept")));
            await(store.writeUsage(new UsageBatch(Map.of(), Map.of(), Map.of(),
                    EncodedLog.all(List.of(log(9_000_000, 9))))));
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
            assertTrue(next.id() > t.id(), "ids go on after the copied ones");
        }
    }

    @Test
    void reopeningFindsEverythingAndIdsGoOn() {
        ChannelRecord c;
        TokenRecord t;
        try (Store store = open()) {
            c = await(store.saveChannel(Records.channel("kept")));
            t = await(store.saveToken(Records.token("kept")));
            await(store.putMeta("admin_token_sha256", "feed"));
        }
        try (Store store = open()) {
            assertEquals(List.of(c), store.channels());
            assertEquals(List.of(t), store.tokens());
            assertEquals("feed", store.meta("admin_token_sha256").orElseThrow());
            assertTrue(await(store.saveChannel(Records.channel("next"))).id() > c.id());
        }
    }

    @Test
    void writesQueuedBeforeCloseAreCommittedByIt() {
        List<CompletionStage<ChannelRecord>> pending = new ArrayList<>();
        Store store = open();
        for (int i = 0; i < 200; i++) {
            pending.add(store.saveChannel(Records.channel("queued-" + i)));
        }
        store.close();
        pending.forEach(Records::await);
        try (Store reopened = open()) {
            assertEquals(200, reopened.channels().size());
        }
    }

    @Test
    void writesAfterCloseFailWithAStoreExceptionAndClosingTwiceIsHarmless() {
        Store store = open();
        store.close();
        assertFails(store.saveChannel(Records.channel("late")));
        assertFails(store.saveToken(Records.token("late")));
        assertFails(store.deleteChannel(1));
        assertFails(store.putMeta("k", "v"));
        store.close();
    }

    @Test
    void everyConcurrentWriteLandsWithAUniqueId() throws Exception {
        int threads = 8;
        int writes = 100;
        List<ChannelRecord> saved = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Store store = open()) {
            List<Future<List<CompletionStage<ChannelRecord>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletionStage<ChannelRecord>> mine = new ArrayList<>();
                    for (int i = 0; i < writes; i++) {
                        mine.add(store.saveChannel(Records.channel("t" + thread + "-" + i)));
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletionStage<ChannelRecord>>> f : submitted) {
                for (CompletionStage<ChannelRecord> s : f.get(60, TimeUnit.SECONDS)) {
                    saved.add(Records.await(s));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> ids = new HashSet<>();
        saved.forEach(c -> ids.add(c.id()));
        assertEquals(threads * writes, ids.size(), "ids are unique");
        try (Store reopened = open()) {
            assertEquals(threads * writes, reopened.channels().size());
        }
    }

    private static void assertFails(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(StoreException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }
}
