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

/** Schema 2: a version 1 store is migrated (the rest of the contract is in {@link StoreContract}). */
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

}
