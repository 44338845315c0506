package dev.switchboard.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.store.EncodedLog;
import dev.switchboard.core.store.LogRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UsageBatch;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage batches survive a store that cannot be written for a while: kept in order, retried, bounded. */
class UsageWriterTest {

    @TempDir
    Path dir;

    private volatile boolean down;

    /** The real store, except that usage writes fail while {@link #down}. */
    private Store flaky(Store real) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeUsage") && down) {
                        return CompletableFuture.failedFuture(new StoreException("connection refused", null));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void batchesWrittenDuringAnOutageLandInOrderOnceItEnds() throws Exception {
        try (MapDbStore real = new MapDbStore(dir.resolve("s.db"))) {
            long token = real.saveToken(token()).toCompletableFuture().join().id();
            UsageWriter writer = new UsageWriter(flaky(real), 1_000, Duration.ofMillis(50));
            down = true;
            for (int i = 1; i <= 3; i++) {
                writer.submit(batch(token, i));
            }
            Thread.sleep(200);
            assertEquals(0, real.lastLogId(), "nothing lands while the store is down");
            assertEquals(3, writer.buffered());
            down = false;
            assertEquals(0, writer.drain(Duration.ofSeconds(10)));
            assertEquals(List.of(1L, 2L, 3L), ids(real));
            assertEquals(1_000 - 3, real.tokens().get(0).remainQuota(), "the last batch's balance, not an earlier one");
        }
    }

    @Test
    void pastTheBufferTheOldestBatchesAreDropped() {
        try (MapDbStore real = new MapDbStore(dir.resolve("s.db"))) {
            long token = real.saveToken(token()).toCompletableFuture().join().id();
            UsageWriter writer = new UsageWriter(flaky(real), 2, Duration.ofMillis(50));
            down = true;
            for (int i = 1; i <= 3; i++) {
                writer.submit(batch(token, i));
            }
            assertEquals(2, writer.buffered());
            down = false;
            assertEquals(0, writer.drain(Duration.ofSeconds(10)));
            assertEquals(List.of(2L, 3L), ids(real));
        }
    }

    @Test
    void whatIsStillUnwrittenAtTheDeadlineIsCounted() {
        try (MapDbStore real = new MapDbStore(dir.resolve("s.db"))) {
            UsageWriter writer = new UsageWriter(flaky(real), 1_000, Duration.ofMillis(50));
            down = true;
            writer.submit(batch(1, 1));
            assertEquals(1, writer.drain(Duration.ofMillis(300)));
        }
    }

    private static UsageBatch batch(long token, int n) {
        LogRecord entry = new LogRecord(n, n, LogRecord.RELAY, 1, token, "t", 3, "gpt-4o", "gpt-4o", false, 10, 5, 0,
                1, false, false, 100, 200, 200, null, List.of(), "127.0.0.1", "req_" + n, null);
        return new UsageBatch(Map.of(token, new UsageBatch.TokenBalance(1_000 - n, n)), Map.of(), Map.of(),
                List.of(EncodedLog.of(entry)));
    }

    private static TokenRecord token() {
        return new TokenRecord(0, "t", "ab".repeat(32), "sk-Ab...Yz12", "enabled", null, false, 1_000, 0, List.of(),
                List.of(), null, null, null, null, 1, 1_700_000_000L);
    }

    private static List<Long> ids(Store store) {
        List<Long> ids = new ArrayList<>();
        store.scanLogs(0, Long.MAX_VALUE, false, e -> ids.add(e.id()));
        return ids;
    }
}
