package dev.switchboard.core.store;

import static dev.switchboard.core.store.Records.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a write's stage reports as done is on disk: after a reopen, and even without a clean close. */
class MapDbStoreDurabilityTest {

    @TempDir
    Path dir;

    @TempDir
    Path crashCopy;

    @Test
    void reopeningFindsEverything() {
        Path file = dir.resolve("switchboard.db");
        ChannelRecord c;
        TokenRecord t;
        try (MapDbStore store = new MapDbStore(file)) {
            c = await(store.saveChannel(Records.channel("kept")));
            t = await(store.saveToken(Records.token("kept")));
            await(store.putMeta("admin_token_sha256", "feed"));
        }
        try (MapDbStore store = new MapDbStore(file)) {
            assertEquals(List.of(c), store.channels());
            assertEquals(List.of(t), store.tokens());
            assertEquals("feed", store.meta("admin_token_sha256").orElseThrow());
            ChannelRecord next = await(store.saveChannel(Records.channel("next")));
            assertTrue(next.id() > c.id(), "ids continue after a reopen");
        }
    }

    @Test
    void aCompletedWriteIsCommittedBeforeTheStoreIsClosed() throws IOException {
        Path file = dir.resolve("switchboard.db");
        try (MapDbStore store = new MapDbStore(file)) {
            ChannelRecord c = await(store.saveChannel(Records.channel("committed")));
            // Copy the files as a crash would leave them: the store is still open and never closed.
            copyStoreFiles(dir, crashCopy);
            try (MapDbStore recovered = new MapDbStore(crashCopy.resolve("switchboard.db"))) {
                assertEquals(List.of(c), recovered.channels());
            }
        }
    }

    @Test
    void writesQueuedBeforeCloseAreCommittedByIt() {
        Path file = dir.resolve("switchboard.db");
        List<java.util.concurrent.CompletionStage<ChannelRecord>> pending = new java.util.ArrayList<>();
        MapDbStore store = new MapDbStore(file);
        for (int i = 0; i < 200; i++) {
            pending.add(store.saveChannel(Records.channel("queued-" + i)));
        }
        store.close();
        pending.forEach(Records::await);
        try (MapDbStore reopened = new MapDbStore(file)) {
            assertEquals(200, reopened.channels().size());
        }
    }

    private static void copyStoreFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("switchboard.db")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
