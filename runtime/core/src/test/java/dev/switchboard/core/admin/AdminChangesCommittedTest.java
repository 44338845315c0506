package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.TokenRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change the admin API has answered is committed: a crash right after the answer loses nothing. */
class AdminChangesCommittedTest extends AdminApiTest {

    @TempDir
    Path crashCopy;

    @Test
    void answeredChangesAreOnDiskBeforeAnyClose() throws IOException {
        long channel = createChannel("{'name':'committed','type':'openai','key':'" + VENDOR_KEY + "'}").path("id")
                .asLong();
        long token = api.post("/api/tokens", json("{'name':'committed'}")).json().path("id").asLong();
        long deleted = createChannel("{'name':'gone','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        assertEquals(204, api.delete("/api/channels/" + deleted).status());

        // The files as a crash would leave them: the gateway is still running and its store open.
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("switchboard.db")).toList()) {
                Files.copy(f, crashCopy.resolve(f.getFileName()));
            }
        }
        try (MapDbStore recovered = new MapDbStore(crashCopy.resolve("switchboard.db"))) {
            assertEquals(List.of(channel), recovered.channels().stream().map(ChannelRecord::id).toList());
            assertEquals(List.of(token), recovered.tokens().stream().map(TokenRecord::id).toList());
        }
    }

    @Test
    void aStoreThatCannotSaveIs503AndNothingChanges() {
        long id = createChannel("{'name':'before','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        api.closeStoreOnly();
        assertError(api.post("/api/channels", json("{'name':'x','type':'openai','key':'" + VENDOR_KEY + "'}")), 503,
                "store_unavailable");
        assertError(api.put("/api/channels/" + id, json("{'name':'after'}")), 503, "store_unavailable");
        assertError(api.post("/api/tokens", json("{}")), 503, "store_unavailable");
        assertEquals("before", api.get("/api/channels/" + id).json().path("name").asText(),
                "an unsaved change is not shown as made");
        assertEquals(1, api.get("/api/channels").json().path("total").asInt());
        assertEquals(0, api.get("/api/tokens").json().path("total").asInt());
    }
}
