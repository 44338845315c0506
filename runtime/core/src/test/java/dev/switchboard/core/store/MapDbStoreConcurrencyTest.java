package dev.switchboard.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads writing at once: every write lands, with its own id, through the single writer. */
class MapDbStoreConcurrencyTest {

    private static final int THREADS = 8;
    private static final int WRITES_PER_THREAD = 250;

    @TempDir
    Path dir;

    @Test
    void everyConcurrentWriteLandsWithAUniqueId() throws Exception {
        Path file = dir.resolve("switchboard.db");
        List<ChannelRecord> saved = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (MapDbStore store = new MapDbStore(file)) {
            List<Future<List<CompletionStage<ChannelRecord>>>> submitted = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletionStage<ChannelRecord>> mine = new ArrayList<>();
                    for (int i = 0; i < WRITES_PER_THREAD; i++) {
                        mine.add(store.saveChannel(Records.channel("t" + thread + "-" + i)));
                        if (i % 50 == 0) {
                            store.saveToken(Records.token("t" + thread + "-" + i));
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletionStage<ChannelRecord>>> f : submitted) {
                for (CompletionStage<ChannelRecord> s : f.get(60, TimeUnit.SECONDS)) {
                    saved.add(Records.await(s));
                }
            }
            assertEquals(THREADS * WRITES_PER_THREAD, store.channels().size());
        } finally {
            pool.shutdownNow();
        }
        Set<Long> ids = new HashSet<>();
        saved.forEach(c -> ids.add(c.id()));
        assertEquals(THREADS * WRITES_PER_THREAD, ids.size(), "ids are unique");
        try (MapDbStore reopened = new MapDbStore(file)) {
            assertEquals(THREADS * WRITES_PER_THREAD, reopened.channels().size());
            assertEquals(THREADS * WRITES_PER_THREAD / 50, reopened.tokens().size());
            Set<String> names = new HashSet<>();
            reopened.channels().forEach(c -> names.add(c.name()));
            assertEquals(THREADS * WRITES_PER_THREAD, names.size());
        }
    }
}
