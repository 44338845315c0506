package dev.switchboard.core.store;

import static dev.switchboard.core.store.Records.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MapDB only: refusal of a newer schema, the file lock, the folder (the rest is in {@link StoreContract}). */
class MapDbStoreLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByANewerSchemaIsRefused() {
        Path file = dir.resolve("switchboard.db");
        try (MapDbStore store = new MapDbStore(file)) {
            await(store.putMeta("schema_version", String.valueOf(Store.SCHEMA_VERSION + 1)));
        }
        StoreException first = assertThrows(StoreException.class, () -> new MapDbStore(file));
        assertTrue(first.getMessage().contains("newer"), first.getMessage());
        assertTrue(first.getMessage().contains(String.valueOf(Store.SCHEMA_VERSION + 1)), first.getMessage());
        // The refusal let go of the file: a second try gets the same answer, not a lock error.
        StoreException second = assertThrows(StoreException.class, () -> new MapDbStore(file));
        assertEquals(first.getMessage(), second.getMessage());
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefusedWithAMessage() {
        Path file = dir.resolve("switchboard.db");
        try (MapDbStore first = new MapDbStore(file)) {
            StoreException e = assertThrows(StoreException.class, () -> new MapDbStore(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void aMissingFolderIsCreated() {
        try (MapDbStore store = new MapDbStore(dir.resolve("a/b/switchboard.db"))) {
            assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("a/b/switchboard.db")));
        }
    }
}
