package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Quota end to end: exhaustion mid-run, refunds, the concurrent overdraft bound, owners, unpriced models. */
@Timeout(180)
class QuotaIT extends AccountingFixture {

    /** What one successful request costs: 10 prompt + 20 completion tokens at 1 micro-unit each. */
    static final long COST = FakeOpenAi.PROMPT + FakeOpenAi.COMPLETION;

    @Test
    void aUsersTokenExhaustsMidRunAndTheBooksBalance() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        long bob = user(sb, "bob", 1_000_000);
        JsonNode t = token(sb, bob, 100L);
        String key = t.path("key").asText();
        int ok = 0;
        Distribution.Answer refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Distribution.Answer a = chat(sb, key, "e2e-model", i % 2 == 1);
            if (a.status() == 200) {
                ok++;
            } else {
                refused = a;
            }
        }
        assertEquals(3, ok, "100 micro-units pay for three requests of 30 (each estimated below 30)");
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("insufficient_quota", refused.json().path("error").path("code").asText());
        assertEquals("insufficient_quota", refused.json().path("error").path("type").asText());
        long id = t.path("id").asLong();
        JsonNode after = settled(() -> get(sb, "/api/tokens/" + id), n -> n.path("used_quota").asLong() == 3 * COST);
        assertEquals(100 - 3 * COST, after.path("remain_quota").asLong());
        JsonNode owner = get(sb, "/api/users/" + bob);
        assertEquals(3 * COST, owner.path("used_quota").asLong(), "token and user are charged together");
        assertEquals(1_000_000 - 3 * COST, owner.path("quota").asLong());
        assertEquals(3 * COST, settled(() -> sum(sb, "token_id=" + id, "cost"), s -> s == 3 * COST));
        // The refusal's entry may come with the next write-behind window than the balances awaited above.
        assertEquals(4, settled(() -> get(sb, "/api/logs?token_id=" + id), n -> n.path("total").asInt() == 4)
                .path("total").asInt(), "the refusal is logged too");
        assertEquals(3, get(sb, "/api/logs?status=success&token_id=" + id).path("total").asInt());
    }

    @Test
    void aFailedUpstreamCallIsRefundedWhole() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        long channel = channel(sb, "broken", "fail-model");
        priceOnePerToken(sb, "fail-model");
        long carol = user(sb, "carol", 5_000);
        JsonNode t = token(sb, carol, 1_000L);
        Distribution.Answer a = chat(sb, t.path("key").asText(), "fail-model", false);
        assertEquals(502, a.status(), a.toString());
        JsonNode logs = settled(() -> get(sb, "/api/logs?token_id=" + t.path("id").asLong()),
                n -> n.path("total").asInt() == 1);
        JsonNode entry = logs.path("data").get(0);
        assertEquals(0, entry.path("cost").asLong());
        assertEquals(502, entry.path("status").asInt());
        assertEquals(channel, entry.path("attempts").get(0).path("channel_id").asLong());
        assertEquals(500, entry.path("attempts").get(0).path("status").asInt(), "each attempt shows the upstream's status");
        assertFalse(entry.path("attempts").get(0).path("reason").asText().isEmpty());
        JsonNode token = get(sb, "/api/tokens/" + t.path("id").asLong());
        assertEquals(1_000, token.path("remain_quota").asLong(), "the hold was given back");
        assertEquals(0, token.path("used_quota").asLong());
        assertEquals(5_000, get(sb, "/api/users/" + carol).path("quota").asLong());
    }

    @Test
    void fiftyConcurrentRequestsAgainstQuotaForTenOverdrawOnlyByTheirEstimatesAndBalance() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        long dave = user(sb, "dave", 1_000_000);
        // Learn the estimate from a refusal's message: a token with 1 micro-unit cannot cover it.
        Distribution.Answer probe = chat(sb, token(sb, dave, 1L).path("key").asText(), "e2e-model", false);
        Matcher m = Pattern.compile("may cost up to (\\d+)").matcher(probe.json().path("error").path("message")
                .asText());
        assertTrue(m.find(), probe.toString());
        long estimate = Long.parseLong(m.group(1));
        assertTrue(estimate < COST, "the real cost exceeds the estimate, so settlements can overdraw: " + estimate);
        long quota = 10 * estimate + estimate / 2;
        JsonNode t = token(sb, dave, quota);
        String key = t.path("key").asText();
        upstream.delayMillis = 1500;
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Distribution.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(pool.submit(() -> chat(sb, key, "e2e-model", false)));
        }
        int ok = 0;
        int refused = 0;
        for (Future<Distribution.Answer> f : answers) {
            Distribution.Answer a = f.get(60, TimeUnit.SECONDS);
            if (a.status() == 200) {
                ok++;
            } else {
                assertEquals(429, a.status(), a.toString());
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(50, ok + refused);
        assertEquals(10, ok, "ten estimates fit in the quota while all fifty are in flight");
        long id = t.path("id").asLong();
        long okCount = ok;
        JsonNode after = settled(() -> get(sb, "/api/tokens/" + id),
                n -> n.path("used_quota").asLong() == okCount * COST);
        long remain = after.path("remain_quota").asLong();
        long used = after.path("used_quota").asLong();
        System.out.println("[e2e] 50 concurrent, quota " + quota + ", estimate " + estimate + ": " + ok + " served, "
                + refused + " refused, remain " + remain + ", used " + used);
        assertEquals(quota, remain + used, "the books balance exactly");
        assertTrue(remain >= -(long) ok * (COST - estimate), "overdrawn by at most the in-flight excess: " + remain);
        assertTrue(remain < 0, "this run does overdraw (cost above estimate), within the bound");
        assertEquals(used, settled(() -> sum(sb, "token_id=" + id, "cost"), s -> s == okCount * COST),
                "the log's costs add up to what was charged");
        assertEquals(50, settled(() -> get(sb, "/api/logs?per_page=1&token_id=" + id),
                n -> n.path("total").asInt() == 50).path("total").asInt(), "every request logged, refusals too");
        JsonNode owner = get(sb, "/api/users/" + dave);
        assertEquals(used, owner.path("used_quota").asLong());
        assertEquals(1_000_000 - used, owner.path("quota").asLong());
    }

    @Test
    void aDisabledUserIs403AndUnpricedModelsAreServedOrRefusedBySetting() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "e2e-model", "nousage-model");
        priceOnePerToken(sb, "e2e-model");
        long erin = user(sb, "erin", 1_000_000);
        String key = token(sb, erin, null).path("key").asText();
        Distribution.Answer served = chat(sb, key, "nousage-model", true);
        assertEquals(200, served.status(), served.toString());
        assertTrue(served.body().contains("Hello"), served.toString());
        JsonNode unpriced = settled(() -> get(sb, "/api/prices/unpriced"), n -> n.path("total").asInt() == 1);
        assertEquals("nousage-model", unpriced.path("data").get(0).path("model").asText());
        JsonNode entry = settled(() -> get(sb, "/api/logs?model=nousage-model"), n -> n.path("total").asInt() == 1)
                .path("data").get(0);
        assertEquals(0, entry.path("cost").asLong());
        assertTrue(entry.path("unpriced").asBoolean());
        assertTrue(entry.path("usage_counted").asBoolean(), "no usage upstream: the text was counted");
        assertEquals(2, entry.path("completion_tokens").asLong(), "'Hello world' is two tokens");
        assertTrue(entry.path("is_stream").asBoolean());

        ok(sb.put("/api/settings", ADMIN, obj("pricing.unpriced", "reject")), 200);
        Distribution.Answer rejected = chat(sb, key, "nousage-model", false);
        assertEquals(403, rejected.status(), rejected.toString());
        assertEquals("model_not_priced", rejected.json().path("error").path("code").asText());
        assertTrue(rejected.json().path("error").path("message").asText().contains("/api/prices/nousage-model"));

        ok(sb.put("/api/users/" + erin, ADMIN, obj("status", "disabled")), 200);
        Distribution.Answer disabled = chat(sb, key, "e2e-model", false);
        assertEquals(403, disabled.status(), disabled.toString());
        assertEquals("user_disabled", disabled.json().path("error").path("code").asText());
    }

    @Test
    void aClientThatLeavesMidStreamPaysForWhatWasGenerated() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "slow-model");
        priceOnePerToken(sb, "slow-model");
        long gus = user(sb, "gus", 1_000_000);
        JsonNode t = token(sb, gus, 10_000L);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<java.io.InputStream> r = http.send(java.net.http.HttpRequest.newBuilder(
                sb.uri("/v1/chat/completions")).header("Authorization", "Bearer " + t.path("key").asText())
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"slow-model\",\"stream\":true,\"max_tokens\":20,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        java.io.InputStream in = r.body();
        byte[] first = new byte[16];
        assertTrue(in.read(first) > 0, "the first event arrived");
        in.close(); // The client leaves during the upstream's pause.
        JsonNode entry = settled(() -> get(sb, "/api/logs?type=relay&token_id=" + t.path("id").asLong()),
                n -> n.path("total").asInt() == 1).path("data").get(0);
        assertEquals(499, entry.path("status").asInt(), entry.toString());
        assertTrue(entry.path("usage_counted").asBoolean(), entry.toString());
        assertTrue(entry.path("completion_tokens").asLong() >= 1, "at least 'Hello' was generated: " + entry);
        assertTrue(entry.path("completion_tokens").asLong() < FakeOpenAi.COMPLETION, "not the whole answer");
        long cost = entry.path("cost").asLong();
        assertEquals(entry.path("prompt_tokens").asLong() + entry.path("completion_tokens").asLong(), cost);
        JsonNode token = settled(() -> get(sb, "/api/tokens/" + t.path("id").asLong()),
                n -> n.path("used_quota").asLong() == cost);
        assertEquals(10_000 - cost, token.path("remain_quota").asLong());
    }

    @Test
    void aGroupMultiplierPricesTheRequest() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        ok(sb.post("/api/channels", ADMIN, obj("name", "vip channel", "type", "openai", "key", "sk-fake-key-123456",
                "base_url", upstream.baseUrl(), "models", List.of("e2e-model"), "groups", List.of("vip"))), 201);
        priceOnePerToken(sb, "e2e-model");
        ok(sb.put("/api/groups/vip", ADMIN, obj("multiplier", 0.5)), 200);
        long id = ok(sb.post("/api/users", ADMIN, obj("username", "vince", "password", "pass-vince-1", "group",
                "vip", "unlimited_quota", true)), 201).path("id").asLong();
        String key = token(sb, id, null).path("key").asText();
        assertEquals(200, chat(sb, key, "e2e-model", false).status());
        assertEquals(COST / 2, settled(() -> sum(sb, "user_id=" + id + "&type=relay", "cost"), s -> s == COST / 2));
    }
}
