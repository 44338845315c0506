package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.dist.Distribution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/switchboard migrate --from mapdb:data/ --to postgres}: a gateway that ran on the embedded store is
 * copied into an empty PostgreSQL schema and then serves from it as it did; a second copy into the now filled
 * database is refused.
 */
@Timeout(240)
class MigrateIT extends AccountingFixture {

    private TestDatabase.Schema schema;

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @Test
    void anEmbeddedStoreIsCopiedIntoPostgresAndServedFromThere() throws Exception {
        Distribution.Instance embedded = dist.start().awaitHealthy();
        long channel = channel(embedded, "kept", "e2e-model");
        priceOnePerToken(embedded, "e2e-model");
        long user = user(embedded, "gina", 1_000_000);
        JsonNode t = token(embedded, user, 10_000L);
        assertEquals(200, chat(embedded, t.path("key").asText(), "e2e-model", false).status());
        settled(() -> get(embedded, "/api/logs?type=relay"), n -> n.path("total").asInt() == 1);
        embedded.terminate();
        assertEquals(0, embedded.awaitExit(Duration.ofSeconds(30)));

        schema = TestDatabase.newSchema();
        Map<String, String> postgres = Map.of("SWITCHBOARD_STORE_POSTGRES_URL", schema.connection().url(),
                "SWITCHBOARD_STORE_POSTGRES_USER", schema.connection().user(),
                "SWITCHBOARD_STORE_POSTGRES_PASSWORD", schema.connection().password());
        Process migrate = cli(postgres, List.of("migrate", "--from", "mapdb:data/", "--to", "postgres"));
        String said = output(migrate);
        assertEquals(0, migrate.waitFor(), said);
        assertTrue(said.contains("copied 1 channel(s), 1 token(s), 2 user(s)"), said);

        java.util.HashMap<String, String> env = new java.util.HashMap<>(postgres);
        env.put("SWITCHBOARD_STORE_TYPE", "postgres");
        Distribution.Instance shared = dist.start(env).awaitHealthy();
        assertEquals("kept", get(shared, "/api/channels/" + channel).path("name").asText());
        JsonNode token = get(shared, "/api/tokens/" + t.path("id").asLong());
        assertEquals(10_000 - 30, token.path("remain_quota").asLong(), "balances are copied");
        assertEquals("gina", get(shared, "/api/users/" + user).path("username").asText());
        assertEquals(1, get(shared, "/api/logs?type=relay").path("total").asInt(), "logs are copied");
        assertEquals(200, chat(shared, t.path("key").asText(), "e2e-model", false).status(),
                "the vendor key opens: the data folder's secret key came along");
        long next = channel(shared, "created after the copy", "e2e-model");
        assertTrue(next > channel, "ids go on after the copied ones");
        shared.terminate();
        shared.awaitExit(Duration.ofSeconds(30));

        Process again = cli(postgres, List.of("migrate", "--from", "mapdb:data/", "--to", "postgres"));
        String refused = output(again);
        assertEquals(2, again.waitFor(), refused);
        assertTrue(refused.contains("empty database"), refused);
    }

    @Test
    void aMissingSourceOrTargetIsAUsageError() throws Exception {
        Process noUrl = cli(List.of("migrate", "--from", "mapdb:data/", "--to", "postgres"));
        String said = output(noUrl);
        assertEquals(2, noUrl.waitFor(), said);
        assertTrue(said.contains("store.postgres.url"), said);
        Process wrong = cli(List.of("migrate", "--from", "data/", "--to", "postgres"));
        String usage = output(wrong);
        assertEquals(2, wrong.waitFor(), usage);
        assertTrue(usage.contains("migrate --from mapdb:DIR --to postgres"), usage);
    }
}
