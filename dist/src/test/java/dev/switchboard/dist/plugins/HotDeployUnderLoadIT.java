package dev.switchboard.dist.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.PluginJars;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.SseReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot deploy while traffic runs, through the distribution on loopback: a plugin's jar replaced under streams in
 * flight, and a plugin removed and re-added 50 times while another plugin serves. The load is small (a few client
 * threads); what is checked is correctness (no hang, no error where none belongs, no leak), not speed.
 */
@Timeout(300)
class HotDeployUnderLoadIT {

    private static final String ADMIN = "sb-admin-e2e-hot-load-0d4b";
    private static final String BSN = "dev.switchboard.test.faulty";
    private static final String CHAT = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    @TempDir
    Path tmp;

    private Distribution dist;
    private Distribution.Instance sb;
    private FakeUpstream faultyUp;
    private FakeUpstream openaiUp;
    private String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** One request of the load: when it started and ended (ms since the test's clock start), and its answer. */
    record Call(String kind, long startMs, long endMs, int status, String body) {
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private long t0;

    @BeforeEach
    void start() throws Exception {
        faultyUp = FakeUpstream.start().on(CHAT, Reply.sse().data(chunk("one")).pause(Duration.ofMillis(300))
                .data(chunk("two")).pause(Duration.ofMillis(300)).data(chunk("three")).pause(Duration.ofMillis(300))
                .data(chunk("four")).done().build());
        openaiUp = FakeUpstream.start().on(CHAT, Reply.json(OK_ANSWER));
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_PLUGINS_POLL", "250ms");
        sb = dist.start().awaitHealthy();
        t0 = System.nanoTime();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        dist.close();
        faultyUp.close();
        openaiUp.close();
    }

    private void setUp(Path firstJar) {
        PluginJars.deploy(firstJar, dist.pluginsDir(), "faulty.jar");
        assertTrue(Distribution.poll(Duration.ofSeconds(20), this::faultyInstalled).isPresent(), sb.output());
        assertEquals(201, sb.post("/api/channels", ADMIN, Map.of("name", "faulty", "type", "faulty", "key",
                "k-123456789", "base_url", faultyUp.baseUrl() + "/v1", "models", List.of("ok"))).status());
        assertEquals(201, sb.post("/api/channels", ADMIN, Map.of("name", "openai", "type", "openai", "key",
                "sk-123456789abc", "base_url", openaiUp.baseUrl() + "/v1", "models", List.of("gpt-ok"))).status());
        key = sb.post("/api/tokens", ADMIN, Map.of("name", "load")).json().path("key").asText();
    }

    private boolean faultyInstalled() {
        return sb.get("/api/channel-types", ADMIN).body().contains("\"faulty\"");
    }

    private long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Starts {@code threads} clients sending {@code model} requests until the test stops them. */
    private void load(String model, boolean stream, int threads) {
        for (int i = 0; i < threads; i++) {
            clients.submit(() -> {
                while (running.get()) {
                    calls.add(send(model, stream));
                }
                return null;
            });
        }
    }

    private Call send(String model, boolean stream) {
        long start = now();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(sb.uri(CHAT)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Call(model, start, now(), r.statusCode(), r.body());
        } catch (IOException e) {
            // A hang shows as the client's 30 s timeout; a cut connection as an I/O error: both are failures.
            return new Call(model, start, now(), -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(model, start, now(), -2, "interrupted");
        }
    }

    private List<Call> calls(String kind) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.kind().equals(kind)).toList();
        }
    }

    @Test
    void replacingAPluginUnderStreamsEndsEachCleanlyAndNewRequestsUseTheNewVersion() throws Exception {
        String v1 = BSN + " 1.0.0";
        String v2 = BSN + " 2.0.0";
        setUp(PluginJars.variant(PluginJars.faulty(), tmp.resolve("v1.jar"), BSN, "1.0.0", null));
        load("ok", true, 4);
        load("gpt-ok", false, 2);
        Distribution.poll(Duration.ofSeconds(3), () -> false);

        long replacedAt = now();
        PluginJars.deploy(PluginJars.variant(PluginJars.faulty(), tmp.resolve("v2.jar"), BSN, "2.0.0", null),
                dist.pluginsDir(), "faulty.jar");
        // Well past the 10 s the new version has to take over, so later requests show it.
        Distribution.poll(Duration.ofSeconds(14), () -> false);
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "a client hung");

        int inFlight = 0;
        int completedOld = 0;
        int endedWithError = 0;
        int refusedDuringSwap = 0;
        long firstNew = -1;
        for (Call c : calls("ok")) {
            assertTrue(c.status() > 0, "no hang, no cut connection: " + c);
            boolean spans = c.startMs() < replacedAt && c.endMs() > replacedAt;
            if (c.status() != 200) {
                // While the bundle is swapped the type is briefly not installed: refused at once, in OpenAI's shape.
                assertEquals(503, c.status(), c.toString());
                assertTrue(c.startMs() >= replacedAt - 1000 && c.startMs() < replacedAt + 10_000, c.toString());
                refusedDuringSwap++;
                continue;
            }
            Stream s = Stream.of(c);
            if (spans) {
                inFlight++;
                if (s.error() != null) {
                    endedWithError++;
                } else if (s.version().equals(v1)) {
                    completedOld++;
                }
            }
            if (s.error() == null && s.version().equals(v2) && (firstNew < 0 || c.startMs() < firstNew)) {
                firstNew = c.startMs();
            }
            if (c.startMs() >= replacedAt + 10_000) {
                assertEquals(null, s.error(), c.toString());
                assertEquals(v2, s.version(), "10 s after the replacement, the new version serves: " + c);
            }
            if (c.endMs() < replacedAt) {
                assertEquals(v1, s.version(), c.toString());
            }
        }
        List<Call> openai = calls("gpt-ok");
        long otherErrors = openai.stream().filter(c -> c.status() != 200).count();
        System.out.printf("[e2e] hot replace under load: %d streams (%d in flight at the swap: %d completed on the old "
                + "version, %d ended with an error event), %d refused during the swap, new version first served %d ms "
                + "after the jar was replaced; other plugin: %d requests, %d errors%n", calls("ok").size(), inFlight,
                completedOld, endedWithError, refusedDuringSwap, firstNew - replacedAt, openai.size(), otherErrors);
        assertTrue(inFlight > 0, "some streams were in flight at the swap");
        assertEquals(inFlight, completedOld + endedWithError, "each in-flight stream ended one of the clean ways");
        assertTrue(firstNew >= 0 && firstNew - replacedAt <= 10_000, "new version within 10 s: " + firstNew);
        assertTrue(calls("ok").stream().anyMatch(c -> c.startMs() >= replacedAt + 10_000), "traffic went on");
        assertTrue(openai.size() > 10, "the other plugin had traffic: " + openai.size());
        assertEquals(0, otherErrors, "the other plugin saw no error: " + openai.stream().filter(c -> c.status() != 200)
                .findFirst().orElse(null));
    }

    @Test
    void removingAndReAddingAPlugin50TimesDisturbsNoOtherTrafficAndLeaksNothing() throws Exception {
        Path jar = PluginJars.faulty();
        setUp(jar);
        faultyUp.on(CHAT, Reply.json(OK_ANSWER));
        load("gpt-ok", false, 2);
        Jvm jvm = new Jvm(sb.process().pid());
        // A few rounds first: what loads once (classes of the core's paths) is in the baseline.
        for (int i = 0; i < 3; i++) {
            cycle(jar);
        }
        jvm.gc();
        int threadsBefore = jvm.threads();
        long heapBefore = jvm.heapUsedKb();
        long loadersBefore = jvm.bundleLoaders();

        long start = now();
        for (int i = 0; i < 50; i++) {
            cycle(jar);
        }
        long took = now() - start;
        // Settle: FileInstall's last refresh, the relay's last calls.
        Distribution.poll(Duration.ofSeconds(2), () -> false);
        jvm.gc();
        int threadsAfter = jvm.threads();
        long heapAfter = jvm.heapUsedKb();
        long loadersAfter = jvm.bundleLoaders();
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "a client hung");

        List<Call> openai = calls("gpt-ok");
        System.out.printf("[e2e] 50 remove/re-add cycles in %d ms; other plugin: %d requests, %d errors; threads %d -> "
                + "%d; heap after GC %d KiB -> %d KiB; bundle class loaders %d -> %d%n", took, openai.size(),
                openai.stream().filter(c -> c.status() != 200).count(), threadsBefore, threadsAfter, heapBefore,
                heapAfter, loadersBefore, loadersAfter);
        assertTrue(openai.size() > 50, "traffic ran throughout: " + openai.size());
        assertEquals(List.of(), openai.stream().filter(c -> c.status() != 200).toList(), "no error on the other plugin");
        assertTrue(loadersAfter <= loadersBefore + 1, "old plugin class loaders are collected: " + loadersBefore
                + " -> " + loadersAfter);
        assertTrue(threadsAfter <= threadsBefore + 4, "no thread leak: " + threadsBefore + " -> " + threadsAfter);
        assertTrue(heapAfter <= heapBefore + 32 * 1024, "heap back near its baseline: " + heapBefore + " -> "
                + heapAfter + " KiB");
        assertTrue(sb.process().isAlive());
    }

    /** Removes the plugin, waits until its type is gone, puts it back, waits until a request goes through it. */
    private void cycle(Path jar) throws IOException {
        Files.delete(dist.pluginsDir().resolve("faulty.jar"));
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> !faultyInstalled()).isPresent(), "never removed");
        PluginJars.deploy(jar, dist.pluginsDir(), "faulty.jar");
        assertTrue(Distribution.poll(Duration.ofSeconds(15), this::faultyInstalled).isPresent(), "never re-added");
        Call c = send("ok", false);
        assertEquals(200, c.status(), c.toString());
        assertFalse(JSON.readTree(c.body()).path("system_fingerprint").asText().isEmpty(), c.toString());
    }

    private static String chunk(String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    /**
     * A stream as the client got it: the version that served its chunks, or the error event that ended it.
     *
     * @param version the plugin version in its chunks ("" for none)
     * @param error the error event's object, or null
     */
    record Stream(String version, JsonNode error) {

        static Stream of(Call c) {
            List<SseEvent> events = SseReader.parse(c.body());
            assertFalse(events.isEmpty(), c.toString());
            assertEquals("[DONE]", events.get(events.size() - 1).data(), "every stream ends with [DONE]: " + c);
            String version = "";
            JsonNode error = null;
            for (SseEvent e : events.subList(0, events.size() - 1)) {
                JsonNode n;
                try {
                    n = JSON.readTree(e.data());
                } catch (IOException x) {
                    throw new AssertionError("not JSON: " + c, x);
                }
                assertEquals(null, error, "nothing after the error event but [DONE]: " + c);
                if (n.has("error")) {
                    error = n.get("error");
                    assertTrue(error.path("message").isTextual() && error.path("code").isTextual(), c.toString());
                    continue;
                }
                String v = n.path("system_fingerprint").asText();
                assertTrue(version.isEmpty() || version.equals(v), "one version per stream: " + c);
                version = v;
            }
            if (error == null) {
                assertEquals(5, events.size(), "four chunks, [DONE] and nothing lost: " + c);
            }
            return new Stream(version, error);
        }
    }
}
