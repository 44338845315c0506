package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.dist.Distribution;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built gateway on store.type=postgres: it starts (Flyway migrates an empty schema in the OSGi runtime), relays
 * and settles, keeps its state across a restart with an empty data folder, and a second node on the same database
 * serves what the first one configured.
 */
@Timeout(240)
class PostgresStoreIT extends AccountingFixture {

    private TestDatabase.Schema schema;

    @BeforeEach
    void onPostgres() {
        schema = TestDatabase.newSchema();
        onSchema(dist);
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    private Distribution onSchema(Distribution d) {
        return onPostgres(d, schema);
    }

    @Test
    void aGatewayOnPostgresRelaysAndKeepsItsStateAcrossARestart() throws Exception {
        Distribution.Instance first = dist.start().awaitHealthy();
        channel(first, "main", "e2e-model");
        priceOnePerToken(first, "e2e-model");
        long bob = user(first, "bob", 1_000_000);
        JsonNode t = token(first, bob, 1_000L);
        String key = t.path("key").asText();
        long id = t.path("id").asLong();
        assertEquals(200, chat(first, key, "e2e-model", false).status());
        assertEquals(200, chat(first, key, "e2e-model", true).status());
        long cost = 2 * (FakeOpenAi.PROMPT + FakeOpenAi.COMPLETION);
        settled(() -> get(first, "/api/tokens/" + id), n -> n.path("used_quota").asLong() == cost);
        first.terminate();
        assertEquals(0, first.awaitExit(Duration.ofSeconds(30)));

        // Nothing of it lives in the data folder any more.
        deleteTree(dist.dataDir());
        Distribution.Instance second = dist.start().awaitHealthy();
        JsonNode token = get(second, "/api/tokens/" + id);
        assertEquals(cost, token.path("used_quota").asLong());
        assertEquals(1_000 - cost, token.path("remain_quota").asLong());
        assertEquals(1_000_000 - cost, get(second, "/api/users/" + bob).path("quota").asLong());
        assertEquals(2, get(second, "/api/logs?token_id=" + id).path("total").asInt());
        assertEquals(200, chat(second, key, "e2e-model", false).status(), "the vendor key opens after a restart");
    }

    @Test
    void aSecondNodeOnTheSameDatabaseServesWhatTheFirstConfigured() {
        Distribution.Instance a = dist.start().awaitHealthy();
        channel(a, "main", "e2e-model");
        priceOnePerToken(a, "e2e-model");
        JsonNode t = token(a, user(a, "carol", 1_000_000), 10_000L);
        Distribution other = onSchema(Distribution.copyTo(tmp.resolve("node-b")))
                .env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        try {
            Distribution.Instance b = other.start().awaitHealthy();
            assertTrue(b.port() != a.port());
            Distribution.Answer answer = chat(b, t.path("key").asText(), "e2e-model", false);
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(1, get(b, "/api/channels").path("data").size(), get(b, "/api/channels").toString());
        } finally {
            other.close();
        }
    }

    @Test
    void aChannelDisabledAndATokenRevokedOnNodeATakeEffectOnNodeB() {
        Distribution.Instance a = dist.start().awaitHealthy();
        Distribution other = onSchema(Distribution.copyTo(tmp.resolve("node-b"))).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        try {
            Distribution.Instance b = other.start().awaitHealthy();
            // Configured on A after B started: B hears of it.
            long channel = channel(a, "main", "e2e-model");
            priceOnePerToken(a, "e2e-model");
            JsonNode t = token(a, user(a, "erin", 1_000_000), 100_000L);
            String key = t.path("key").asText();
            long heard = until(() -> chat(b, key, "e2e-model", false).status() == 200);
            System.out.println("[e2e] node B served a channel and token created on node A after " + heard + " ms");

            ok(a.post("/api/channels/" + channel + "/disable", ADMIN, obj()), 200);
            long disabled = until(() -> chat(b, key, "e2e-model", false).status() == 503);
            System.out.println("[e2e] node B skipped the channel disabled on node A after " + disabled + " ms");
            assertEquals("disabled", get(b, "/api/channels/" + channel).path("status").asText());

            ok(a.post("/api/channels/" + channel + "/enable", ADMIN, obj()), 200);
            until(() -> chat(b, key, "e2e-model", false).status() == 200);
            ok(a.delete("/api/tokens/" + t.path("id").asLong(), ADMIN), 204);
            long revoked = until(() -> chat(b, key, "e2e-model", false).status() == 401);
            System.out.println("[e2e] node B refused the token revoked on node A after " + revoked + " ms");
        } finally {
            other.close();
        }
    }

    /** Polls (every 50 ms, at most 10 s: a wide margin over the 1 s goal) and returns how long it took. */
    private static long until(java.util.function.BooleanSupplier done) {
        return Distribution.poll(Duration.ofSeconds(10), done).orElseThrow(() -> new AssertionError("not within 10 s"))
                .toMillis();
    }

    @Test
    void postgresWithoutAUrlExitsTwoNamingTheKey() {
        Distribution.Instance sb = dist.start(Map.of("SWITCHBOARD_STORE_POSTGRES_URL", ""));
        assertEquals(2, sb.awaitExit(Duration.ofSeconds(30)), sb.output());
        assertTrue(sb.stderr().contains("store.postgres.url"), sb.output());
    }

    @Test
    void aWrongPasswordFailsTheStartWithTheDatabasesWordsAndNoPassword() {
        Distribution.Instance sb = dist.start(Map.of("SWITCHBOARD_STORE_POSTGRES_PASSWORD", "not-the-password-42"));
        assertTrue(sb.awaitExit(Duration.ofSeconds(60)) != 0, sb.output());
        assertTrue(sb.output().contains("password authentication failed"), sb.output());
        assertTrue(!sb.output().contains("not-the-password-42"), "the password is never printed");
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }
}
