package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private distribution with a known admin token and root password, and a fake OpenAI upstream; helpers to set
 * up channels, prices, users and tokens, call the relay, and wait for the write-behind.
 */
abstract class AccountingFixture {

    static final String ADMIN = "e2e-accounting-admin-token";
    static final String ROOT_PASSWORD = "e2e-root-password";

    @TempDir
    Path tmp;

    Distribution dist;
    FakeOpenAi upstream;

    @BeforeEach
    void prepare() {
        upstream = FakeOpenAi.start();
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_ROOT_PASSWORD", ROOT_PASSWORD);
    }

    @AfterEach
    void cleanUp() {
        dist.close();
        upstream.close();
    }

    /** Secret key of nodes sharing one database, so each opens the vendor keys the others stored. */
    static final String SHARED_SECRET = "e2e-shared-secret-key-for-both-nodes-0123456789";

    /** @param d a distribution @param schema its database @return it, set to store in that PostgreSQL schema */
    static Distribution onPostgres(Distribution d, dev.switchboard.core.store.TestDatabase.Schema schema) {
        return d.env("SWITCHBOARD_STORE_TYPE", "postgres")
                .env("SWITCHBOARD_STORE_POSTGRES_URL", schema.connection().url())
                .env("SWITCHBOARD_STORE_POSTGRES_USER", schema.connection().user())
                .env("SWITCHBOARD_STORE_POSTGRES_PASSWORD", schema.connection().password())
                .env("SWITCHBOARD_SECRET_KEY", SHARED_SECRET);
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static JsonNode ok(Distribution.Answer a, int status) {
        assertEquals(status, a.status(), a.toString());
        return a.body().isEmpty() ? null : a.json();
    }

    /** A channel of type openai on the fake upstream. */
    long channel(Distribution.Instance sb, String name, String... models) {
        return ok(sb.post("/api/channels", ADMIN, obj("name", name, "type", "openai", "key", "sk-fake-upstream-key-1",
                "base_url", upstream.baseUrl(), "models", List.of(models))), 201).path("id").asLong();
    }

    /** Prices a model at 1 micro-unit per input and per output token. */
    static void priceOnePerToken(Distribution.Instance sb, String model) {
        ok(sb.put("/api/prices/" + model, ADMIN, obj("input_per_mtok", 1_000_000, "output_per_mtok", 1_000_000)),
                200);
    }

    static long user(Distribution.Instance sb, String name, long quota) {
        return ok(sb.post("/api/users", ADMIN, obj("username", name, "password", "pass-" + name + "-1",
                "quota", quota)), 201).path("id").asLong();
    }

    /** @return the token's answer (with its key) */
    static JsonNode token(Distribution.Instance sb, long userId, Long remain) {
        Map<String, Object> body = obj("name", "t-" + userId + "-" + System.nanoTime(), "user_id", userId);
        if (remain != null) {
            body.put("unlimited_quota", false);
            body.put("remain_quota", remain);
        }
        return ok(sb.post("/api/tokens", ADMIN, body), 201);
    }

    static Distribution.Answer chat(Distribution.Instance sb, String key, String model, boolean stream) {
        return sb.post("/v1/chat/completions", key, obj("model", model, "stream", stream, "max_tokens", 20,
                "messages", List.of(obj("role", "user", "content", "hi"))));
    }

    static JsonNode get(Distribution.Instance sb, String path) {
        return ok(sb.get(path, ADMIN), 200);
    }

    /** Waits (up to 10 s) until a value is what it should be, then returns it; the last value otherwise. */
    static <T> T settled(Supplier<T> value, java.util.function.Predicate<T> done) {
        T[] last = (T[]) new Object[1];
        Distribution.poll(Duration.ofSeconds(10), () -> done.test(last[0] = value.get()));
        return last[0];
    }

    /** Sums a field over every log entry matching a query. */
    static long sum(Distribution.Instance sb, String query, String field) {
        long total = 0;
        for (JsonNode e : get(sb, "/api/logs?per_page=500&" + query).path("data")) {
            total += e.path(field).asLong();
        }
        return total;
    }

    /** Runs {@code bin/switchboard} with arguments (a store command), with the admin token set. */
    Process cli(List<String> args) throws java.io.IOException {
        return cli(Map.of(), args);
    }

    /** @param env variables added for this run @param args the arguments @return the started command */
    Process cli(Map<String, String> env, List<String> args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(dist.home().resolve("bin").resolve("switchboard").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dist.home().toFile()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        e.putAll(env);
        return pb.start();
    }

    /** @param p a command @return all it printed (read to its end) */
    static String output(Process p) throws java.io.IOException {
        return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
