package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.dist.Distribution;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway on PostgreSQL whose database goes away for 5 s (every connection dropped, new ones refused) keeps
 * relaying from memory, and once the database is back every usage record of the outage is written: none lost.
 */
@Timeout(240)
class DatabaseOutageIT extends AccountingFixture {

    private TestDatabase.Schema schema;
    private TcpCutter database;

    @AfterEach
    void dropSchema() {
        if (database != null) {
            database.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    @Test
    void aFiveSecondOutageLosesNoUsageRecord() throws Exception {
        schema = TestDatabase.newSchema();
        String url = schema.connection().url();
        URI real = URI.create(url.substring("jdbc:".length()));
        database = new TcpCutter(real.getHost(), real.getPort());
        dist.env("SWITCHBOARD_STORE_TYPE", "postgres")
                .env("SWITCHBOARD_STORE_POSTGRES_URL", url.replace("//" + real.getHost() + ":" + real.getPort() + "/",
                        "//127.0.0.1:" + database.port() + "/"))
                .env("SWITCHBOARD_STORE_POSTGRES_USER", schema.connection().user())
                .env("SWITCHBOARD_STORE_POSTGRES_PASSWORD", schema.connection().password());
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        JsonNode t = token(sb, user(sb, "hank", 1_000_000), 100_000L);
        String key = t.path("key").asText();
        long id = t.path("id").asLong();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, chat(sb, key, "e2e-model", false).status());
        }
        settled(() -> get(sb, "/api/logs?token_id=" + id), n -> n.path("total").asInt() == 3);

        database.cut();
        long cutAt = System.nanoTime();
        List<Integer> during = new ArrayList<>();
        while (System.nanoTime() - cutAt < 5_000_000_000L) {
            during.add(chat(sb, key, "e2e-model", during.size() % 2 == 1).status());
            Thread.sleep(250);
        }
        database.restore();
        int served = during.size();
        assertEquals(List.of(200), during.stream().distinct().toList(), "served from memory throughout: " + during);

        long cost = FakeOpenAi.PROMPT + FakeOpenAi.COMPLETION;
        // Written once the database is back (retried every second; a wide margin).
        Distribution.poll(java.time.Duration.ofSeconds(30), () -> {
            Distribution.Answer a = sb.get("/api/logs?token_id=" + id, ADMIN);
            return a.status() == 200 && a.json().path("total").asInt() == 3 + served;
        });
        assertEquals(3 + served, get(sb, "/api/logs?token_id=" + id).path("total").asInt(),
                "every request of the outage is in the log");
        System.out.println("[e2e] " + served + " requests served during a 5 s database outage, all logged after it");
        sb.terminate();
        sb.awaitExit(java.time.Duration.ofSeconds(30));

        Distribution.Instance again = dist.start().awaitHealthy();
        JsonNode token = get(again, "/api/tokens/" + id);
        assertEquals((3 + served) * cost, token.path("used_quota").asLong(), "and every one is charged, durably");
        assertEquals(3 + served, get(again, "/api/logs?token_id=" + id).path("total").asInt());
    }
}
