package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.dist.Distribution;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway processes on one PostgreSQL behind round-robin traffic: a token's quota is shared exactly (the nodes
 * lease slices of it), and a token's rpm holds across both within 10% and never above it, even under a burst.
 */
@Timeout(240)
class QuotaAcrossNodesIT extends AccountingFixture {

    /** What one request costs at one micro-unit per token (the fake's usage); its estimate is less. */
    private static final long COST = FakeOpenAi.PROMPT + FakeOpenAi.COMPLETION;

    private TestDatabase.Schema schema;
    private Distribution other;
    private Distribution.Instance a;
    private Distribution.Instance b;

    @BeforeEach
    void twoNodes() {
        schema = TestDatabase.newSchema();
        shared(dist);
        other = shared(Distribution.copyTo(tmp.resolve("node-b"))).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        a = dist.start().awaitHealthy();
        b = other.start().awaitHealthy();
    }

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        dist.close();
        if (schema != null) {
            schema.drop();
        }
    }

    private Distribution shared(Distribution d) {
        return onPostgres(d, schema)
                // Small slices, so a small quota is leased in several; idle slices go back after a second.
                .env("SWITCHBOARD_STORE_POSTGRES_LEASE_SIZE", "100")
                .env("SWITCHBOARD_STORE_POSTGRES_LEASE_IDLE", "1s")
                .env("SWITCHBOARD_STORE_POSTGRES_RATE_SYNC", "50ms");
    }

    private long column(String sql) throws Exception {
        try (var c = DriverManager.getConnection(schema.connection().url(), schema.connection().user(),
                schema.connection().password()); var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void known(Distribution.Instance node, long tokenId) {
        assertTrue(Distribution.poll(Duration.ofSeconds(10),
                () -> node.get("/api/tokens/" + tokenId, ADMIN).status() == 200).isPresent(), "node B knows the token");
    }

    @Test
    void aTokensQuotaIsSharedExactlyAndBothNodesRefuseOnceItIsSpent() throws Exception {
        channel(a, "main", "e2e-model");
        priceOnePerToken(a, "e2e-model");
        JsonNode t = token(a, user(a, "dora", 1_000_000), 20 * COST);
        String key = t.path("key").asText();
        long id = t.path("id").asLong();
        known(b, id);
        List<Distribution.Instance> nodes = List.of(a, b);
        int served = 0;
        int sent = 0;
        while (true) {
            // Round robin until both nodes refuse in a row; then the slices the nodes still hold go back to the
            // pool once idle, and another round shows whether anything is left.
            int refusedInARow = 0;
            int servedThisRound = 0;
            while (refusedInARow < 2) {
                Distribution.Answer answer = chat(nodes.get(sent++ % 2), key, "e2e-model", false);
                if (answer.status() == 200) {
                    served++;
                    servedThisRound++;
                    refusedInARow = 0;
                } else {
                    assertEquals(429, answer.status(), answer.toString());
                    assertEquals("insufficient_quota", answer.json().path("error").path("code").asText());
                    refusedInARow++;
                }
                assertTrue(sent < 200, "the quota ran out: " + served + " served");
            }
            if (servedThisRound == 0) {
                break;
            }
            Thread.sleep(3_000);
        }
        System.out.println("[e2e] two nodes, quota " + 20 * COST + ": " + served + " requests of " + COST
                + " served in " + sent + " round-robin attempts");
        assertEquals(20, served, "the quota pays for exactly 20 requests across both nodes, as on one node");
        other.close();
        dist.close();
        assertEquals(20 * COST, column("SELECT used_quota FROM tokens WHERE id = " + id), "both nodes' usage");
        assertEquals(0, column("SELECT remain_quota FROM tokens WHERE id = " + id), "spent, and no slice outstanding");
        assertEquals(20, column("SELECT request_count FROM users WHERE body ->> 'username' = 'dora'"));
    }

    @Test
    void aTokensRpmHoldsWithinTenPercentAcrossBothNodes() throws Exception {
        channel(a, "main", "e2e-model");
        priceOnePerToken(a, "e2e-model");
        JsonNode t = ok(a.post("/api/tokens", ADMIN, obj("name", "limited", "user_id", user(a, "rita", 1_000_000),
                "rpm", 20)), 201);
        String key = t.path("key").asText();
        known(b, t.path("id").asLong());
        // The burst must fall in one wall-clock minute, the window the nodes share: not in a minute's last seconds.
        while (System.currentTimeMillis() % 60_000 > 45_000) {
            Thread.sleep(500);
        }
        // 50 requests at once, unpaced, half through each node.
        ExecutorService senders = Executors.newFixedThreadPool(10);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Distribution.Instance node = i % 2 == 0 ? a : b;
                answers.add(senders.submit(() -> {
                    Distribution.Answer answer = chat(node, key, "e2e-model", false);
                    if (answer.status() != 200) {
                        assertEquals(429, answer.status(), answer.toString());
                        assertEquals("rate_limit_exceeded", answer.json().path("error").path("code").asText());
                    }
                    return answer.status();
                }));
            }
            int served = 0;
            int limited = 0;
            for (Future<Integer> f : answers) {
                if (f.get(60, TimeUnit.SECONDS) == 200) {
                    served++;
                } else {
                    limited++;
                }
            }
            System.out.println("[e2e] rpm 20, a burst of 50 concurrent requests through two nodes: " + served
                    + " served, " + limited + " limited");
            assertTrue(served <= 20, "never above 20 rpm across two nodes: " + served + " served");
            assertTrue(served >= 18, "20 rpm across two nodes within 10%: " + served + " served");
        } finally {
            senders.shutdownNow();
        }
    }
}
