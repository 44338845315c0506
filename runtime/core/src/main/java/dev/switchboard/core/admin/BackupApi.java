package dev.switchboard.core.admin;

import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletionException;

/**
 * {@code GET /api/backup}: a consistent copy of the whole store, made between two commits while the gateway
 * serves, sent as a file ({@code bin/switchboard backup FILE} calls it; {@code bin/switchboard restore FILE} puts
 * it back on a stopped gateway). Admins only.
 */
public final class BackupApi {

    private final Store store;
    private final Path spoolDir;

    /** @param store the store @param spoolDir where the copy is made before it is sent */
    public BackupApi(Store store, Path spoolDir) {
        this.store = store;
        this.spoolDir = spoolDir;
    }

    /** @param router where to add the route */
    public void register(Router router) {
        router.add("GET", "backup", call -> {
            Path target;
            try {
                Files.createDirectories(spoolDir);
                target = spoolDir.resolve("backup-" + System.nanoTime() + ".db");
                store.backup(target).toCompletableFuture().join();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (CompletionException e) {
                throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
            }
            return ApiResult.file(target, "switchboard-backup-" + Instant.now().getEpochSecond() + ".db");
        });
    }
}
