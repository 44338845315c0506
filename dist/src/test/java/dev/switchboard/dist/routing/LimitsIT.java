package dev.switchboard.dist.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.routing.FakeUpstream.Behaviour;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token rate limits (rpm, tpm, max_concurrency) answered with 429 and OpenAI's headers, concurrency given back
 * when a client disconnects, X-Forwarded-For believed from trusted proxies only, and the header size limit.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIT {

    private Distribution dist;
    private Gateway gw;
    private final FakeUpstream healthy = new FakeUpstream("healthy", Behaviour.HEALTHY);
    private final FakeUpstream slow = new FakeUpstream("slow", Behaviour.SLOW);
    private final FakeUpstream trickle = new FakeUpstream("trickle", Behaviour.SLOW_STREAM);

    @BeforeAll
    void start(@TempDir Path tmp) {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", Gateway.ADMIN)
                .configure("proxy.trusted = 127.0.0.1", "limits.max_header = 8KiB");
        gw = new Gateway(dist.start().awaitHealthy());
        gw.channel("healthy", healthy.baseUrl(), 0, List.of("gpt-fast"));
        gw.channel("slow", slow.baseUrl(), 0, List.of("gpt-slow"));
        gw.channel("trickle", trickle.baseUrl(), 0, List.of("gpt-trickle"));
    }

    @AfterAll
    void stop() {
        dist.close();
        for (FakeUpstream f : List.of(healthy, slow, trickle)) {
            f.close();
        }
    }

    private static String header(Distribution.Answer a, String name) {
        List<String> v = a.headers().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Test
    void requestsPerMinute() {
        String t = gw.token("name", "rpm", "rpm", 2);
        Distribution.Answer first = gw.chat(t, "gpt-fast", "rpm 1", false);
        assertEquals(200, first.status(), first.toString());
        assertEquals("2", header(first, "x-ratelimit-limit-requests"));
        assertEquals("1", header(first, "x-ratelimit-remaining-requests"));
        assertEquals(200, gw.chat(t, "gpt-fast", "rpm 2", false).status());
        Distribution.Answer over = gw.chat(t, "gpt-fast", "rpm 3", false);
        assertEquals(429, over.status(), over.toString());
        assertEquals("rate_limit_exceeded", over.json().path("error").path("code").asText());
        assertEquals("rate_limit_exceeded", over.json().path("error").path("type").asText());
        assertTrue(over.json().path("error").path("message").asText().contains("2 requests per minute (rpm)"),
                over.toString());
        long retryAfter = Long.parseLong(header(over, "retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 120, "Retry-After " + retryAfter);
        assertEquals("2", header(over, "x-ratelimit-limit-requests"));
        assertEquals("0", header(over, "x-ratelimit-remaining-requests"));
        assertTrue(header(over, "x-ratelimit-reset-requests").matches("(\\d+m)?\\d+s"),
                header(over, "x-ratelimit-reset-requests"));
        assertEquals(0, healthy.requests("rpm 3"), "refused before any upstream call");
        System.out.println("[e2e] rpm 429: Retry-After " + retryAfter + ", reset "
                + header(over, "x-ratelimit-reset-requests"));
    }

    @Test
    void tokensPerMinute() throws Exception {
        String t = gw.token("name", "tpm", "tpm", 20);
        assertEquals(200, gw.chat(t, "gpt-fast", "tpm 1", false).status());
        Thread.sleep(200);
        Distribution.Answer second = gw.chat(t, "gpt-fast", "tpm 2", false);
        assertEquals(200, second.status(), second.toString());
        assertEquals("20", header(second, "x-ratelimit-limit-tokens"));
        assertEquals("8", header(second, "x-ratelimit-remaining-tokens"), "12 of 20 used");
        Thread.sleep(200);
        Distribution.Answer over = gw.chat(t, "gpt-fast", "tpm 3", false);
        assertEquals(429, over.status(), over.toString());
        assertTrue(over.json().path("error").path("message").asText().contains("20 tokens per minute (tpm)"),
                over.toString());
        assertEquals("0", header(over, "x-ratelimit-remaining-tokens"));
        assertTrue(Long.parseLong(header(over, "retry-after")) >= 1);
    }

    @Test
    void concurrencyIsLimitedAndGivenBackWhenRequestsEndEvenByADisconnect() throws Exception {
        String t = gw.token("name", "one at a time", "max_concurrency", 1);
        CompletableFuture<Distribution.Answer> first = CompletableFuture.supplyAsync(
                () -> gw.chat(t, "gpt-slow", "slow 1", false));
        assertTrue(Distribution.poll(Duration.ofSeconds(5), () -> slow.requests("slow 1") == 1).isPresent());
        Distribution.Answer second = gw.chat(t, "gpt-fast", "while busy", false);
        assertEquals(429, second.status(), second.toString());
        assertEquals("1", header(second, "retry-after"));
        assertTrue(second.json().path("error").path("message").asText().contains("max_concurrency"), second.body());
        assertEquals(200, first.get().status());
        assertEquals(200, gw.chat(t, "gpt-fast", "after", false).status(), "the slot came back");

        // A streaming client that walks away mid-stream gives its slot back too.
        try (Socket s = gw.socket("127.0.0.1")) {
            Gateway.send(s, gw.chatHead(t), Gateway.json(Gateway.chatBody("gpt-trickle", "walk away", true)));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("hello from trickle")) {
                int n = in.read(buf);
                assertTrue(n > 0, "the stream started: " + seen);
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        assertTrue(Distribution.poll(Duration.ofSeconds(8),
                () -> gw.chat(t, "gpt-fast", "after disconnect " + System.nanoTime(), false).status() == 200)
                .isPresent(), "the slot of the disconnected client came back" + gw.instance().output());
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() {
        String t = gw.token("name", "subnet", "subnets", List.of("10.9.8.0/24"));
        Distribution.Answer direct = gw.chat(t, "gpt-fast", "direct", false);
        assertEquals(403, direct.status(), direct.toString());
        assertEquals("ip_not_allowed", direct.json().path("error").path("code").asText());

        Distribution.Answer proxied = gw.chat(t, "gpt-fast", "via proxy", false, "X-Forwarded-For",
                "203.0.113.9, 10.9.8.7");
        assertEquals(200, proxied.status(), proxied.toString());
        assertTrue(Distribution.poll(Duration.ofSeconds(5), () -> gw.logLines("client=10.9.8.7").size() == 1)
                .isPresent(), "the log shows the forwarded client" + gw.instance().output());

        // From 127.0.0.2, which is not a trusted proxy, the same header is ignored.
        String untrusted = gw.raw("127.0.0.2", gw.chatHead(t, "X-Forwarded-For", "10.9.8.7"),
                Gateway.json(Gateway.chatBody("gpt-fast", "spoofed", false)));
        assertTrue(untrusted.startsWith("HTTP/1.1 403"), untrusted);
        assertTrue(untrusted.contains("ip_not_allowed") && untrusted.contains("127.0.0.2"), untrusted);
        assertEquals(0, healthy.requests("spoofed"));
    }

    @Test
    void anOversizedRequestHeadIsAnswered431AndTheGatewayServesOn() {
        String t = gw.token("name", "big head");
        String answer = gw.raw("127.0.0.1", gw.chatHead(t, "X-Padding", "x".repeat(10_000)),
                Gateway.json(Gateway.chatBody("gpt-fast", "big head", false)));
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        assertTrue(answer.contains("\"code\":\"header_too_large\"") && answer.contains("8192 bytes (limits.max_header)"),
                answer);
        assertEquals(0, healthy.requests("big head"));
        assertEquals(200, gw.chat(t, "gpt-fast", "normal head", false).status());
    }
}
