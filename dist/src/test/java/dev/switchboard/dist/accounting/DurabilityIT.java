package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kill -9 under load, then restart; backup while serving, then restore on a stopped gateway. */
@Timeout(240)
class DurabilityIT extends AccountingFixture {

    /** An answered relay request: its id and when the client had the answer. */
    record Answered(String requestId, long atNanos) {
    }

    @Test
    void killDashNineUnderLoadLosesNoChangeAndAtMostOneWindowOfUsage() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        long user = user(sb, "loaded", 100_000_000);
        long initial = 50_000_000;
        JsonNode t = token(sb, user, initial);
        String key = t.path("key").asText();

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
        ExecutorService load = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            int n = i;
            load.submit(() -> {
                while (!stop.get()) {
                    try {
                        Distribution.Answer a = chat(sb, key, "e2e-model", n % 2 == 0);
                        if (a.status() == 200) {
                            answered.add(new Answered(a.headers().get("x-request-id").get(0), System.nanoTime()));
                        }
                    } catch (RuntimeException e) {
                        return null; // The gateway was killed.
                    }
                }
                return null;
            });
        }
        // Configuration changes while the load runs: each answered change must survive.
        List<JsonNode> tokens = new ArrayList<>();
        Thread.sleep(1000);
        for (int i = 0; i < 5; i++) {
            tokens.add(token(sb, user, 1000L + i));
            ok(sb.put("/api/users/" + user, ADMIN, obj("display_name", "change " + i)), 200);
        }
        ok(sb.put("/api/prices/e2e-model", ADMIN, obj("per_request", 1)), 200);
        long changedPrice = System.nanoTime();
        Thread.sleep(1500);
        long killedAt = System.nanoTime();
        sb.kill();
        stop.set(true);
        load.shutdown();
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(answered.size() > 20, "the load ran: " + answered.size());

        Distribution.Instance again = dist.start().awaitHealthy();
        for (JsonNode before : tokens) {
            JsonNode after = get(again, "/api/tokens/" + before.path("id").asLong());
            assertEquals(before.path("remain_quota").asLong(), after.path("remain_quota").asLong());
            assertEquals(before.path("name").asText(), after.path("name").asText());
        }
        assertEquals("change 4", get(again, "/api/users/" + user).path("display_name").asText());
        assertEquals(1, get(again, "/api/prices/e2e-model").path("per_request").asLong());

        Set<String> logged = new HashSet<>();
        long costs = 0;
        for (int page = 1;; page++) {
            JsonNode p = get(again, "/api/logs?type=relay&per_page=500&page=" + page);
            p.path("data").forEach(e -> logged.add(e.path("request_id").asText()));
            for (JsonNode e : p.path("data")) {
                costs += e.path("cost").asLong();
            }
            if (p.path("data").size() < 500) {
                break;
            }
        }
        JsonNode token = get(again, "/api/tokens/" + t.path("id").asLong());
        JsonNode owner = get(again, "/api/users/" + user);
        assertEquals(initial, token.path("remain_quota").asLong() + token.path("used_quota").asLong(),
                "no record corrupted: what is left and what was used add up to the quota");
        assertEquals(costs, token.path("used_quota").asLong(), "balances and log entries are written together");
        assertEquals(costs, owner.path("used_quota").asLong());
        long window = TimeUnit.MILLISECONDS.toNanos(100);
        long margin = TimeUnit.MILLISECONDS.toNanos(1000);
        List<String> lost = new ArrayList<>();
        int lostInLastWindow = 0;
        long oldestUnrecorded = 0;
        long recordedInLastSecond = 0;
        for (Answered a : answered) {
            if (!logged.contains(a.requestId())) {
                oldestUnrecorded = Math.max(oldestUnrecorded, killedAt - a.atNanos());
                if (killedAt - a.atNanos() > margin) {
                    lost.add(a.requestId());
                } else {
                    lostInLastWindow++;
                }
            } else if (killedAt - a.atNanos() <= margin) {
                recordedInLastSecond++;
            }
        }
        System.out.println("[e2e] kill -9 under load: " + answered.size() + " answered, " + logged.size()
                + " logged, " + lostInLastWindow + " unrecorded (answered within 1 s of the kill, the oldest "
                + TimeUnit.NANOSECONDS.toMillis(oldestUnrecorded) + " ms before it; " + recordedInLastSecond
                + " of that last second recorded); window "
                + TimeUnit.NANOSECONDS.toMillis(window) + " ms; price change " + TimeUnit.NANOSECONDS.toMillis(
                        killedAt - changedPrice) + " ms before the kill");
        assertEquals(List.of(), lost, "usage answered more than a second before the kill was recorded");
        assertTrue(logged.size() <= answered.size() + 8, "nothing recorded twice");
        assertEquals(200, chat(again, key, "e2e-model", false).status(), "the token still serves");
    }

    @Test
    void backupWhileServingThenRestoreOnAStoppedGateway() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        long kept = channel(sb, "kept", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        long user = user(sb, "frank", 1_000_000);
        JsonNode t = token(sb, user, 10_000L);
        assertEquals(200, chat(sb, t.path("key").asText(), "e2e-model", false).status());
        settled(() -> get(sb, "/api/logs?type=relay"), n -> n.path("total").asInt() == 1);

        Path backup = tmp.resolve("backups").resolve("switchboard.backup");
        Process p = cli(List.of("backup", "--url", "http://127.0.0.1:" + sb.port(), backup.toString()));
        assertEquals(0, p.waitFor(), output(p));
        assertTrue(Files.size(backup) > 0);

        long added = channel(sb, "added after the backup", "e2e-model");
        ok(sb.delete("/api/tokens/" + t.path("id").asLong(), ADMIN), 204);
        Process refused = cli(List.of("restore", backup.toString()));
        assertEquals(1, refused.waitFor(), "a running gateway's store is not replaced: " + output(refused));
        sb.terminate();
        assertEquals(0, sb.awaitExit(Duration.ofSeconds(30)));

        Process restore = cli(List.of("restore", backup.toString()));
        assertEquals(0, restore.waitFor(), output(restore));
        Distribution.Instance again = dist.start().awaitHealthy();
        assertEquals(404, again.get("/api/channels/" + added, ADMIN).status(), "the later change is gone");
        assertEquals("kept", get(again, "/api/channels/" + kept).path("name").asText(), "the rest is intact");
        JsonNode token = get(again, "/api/tokens/" + t.path("id").asLong());
        assertEquals(10_000 - 30, token.path("remain_quota").asLong(), "the deleted token is back, with its balance");
        assertEquals(1, get(again, "/api/logs?type=relay").path("total").asInt());
        assertEquals("frank", get(again, "/api/users/" + user).path("username").asText());
        assertEquals(200, chat(again, t.path("key").asText(), "e2e-model", false).status());
    }
}
