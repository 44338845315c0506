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

/** What a write's stage reports as done is on disk even without a clean close (a crash copy of the files). */
class MapDbStoreDurabilityTest {

    @TempDir
    Path dir;

    @TempDir
    Path crashCopy;

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

    private static void copyStoreFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("switchboard.db")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
