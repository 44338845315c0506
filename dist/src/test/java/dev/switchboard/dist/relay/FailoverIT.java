package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.assertError;
import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two channels for one model, each on its own fake upstream: {@code primary} (priority 10) and {@code backup}
 * (priority 0). The relay contract: the highest tier serves; a 429, 5xx, refused connection or a vendor's
 * key/quota error tries the next channel (never the same one twice), a caller's 400 and a first-byte timeout are
 * not retried, and when every channel failed the answer lists the attempts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverIT {

    private static final String MODEL = "gpt-failover-e2e";
    private static final String KEY_MODEL = "gpt-failover-key-e2e";
    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    static Path tmp;

    static FakeUpstream primary;
    static FakeUpstream backup;
    static RelayGateway gw;
    static RelayGateway.Token token;
    static long primaryChannel;
    static long backupChannel;
    static long primaryKeyChannel;

    @BeforeAll
    static void start() {
        primary = FakeUpstream.start();
        backup = FakeUpstream.start();
        gw = RelayGateway.start(tmp, Map.of("SWITCHBOARD_TIMEOUT_FIRST_BYTE", "1s"));
        primaryChannel = gw.channel(obj("name", "primary", "type", "openai", "base_url", primary.baseUrl(),
                "priority", 10, "models", List.of(MODEL)));
        backupChannel = gw.channel(obj("name", "backup", "type", "openai", "base_url", backup.baseUrl(),
                "priority", 0, "models", List.of(MODEL)));
        primaryKeyChannel = gw.channel(obj("name", "primary (key test)", "type", "openai", "base_url",
                primary.baseUrl(), "priority", 10, "models", List.of(KEY_MODEL)));
        gw.channel(obj("name", "backup (key test)", "type", "openai", "base_url", backup.baseUrl(), "priority", 0,
                "models", List.of(KEY_MODEL)));
        token = gw.token(obj("name", "failover e2e"));
    }

    @AfterAll
    static void stop() {
        RelayGateway.finish(gw, primary, backup);
    }

    @BeforeEach
    void reset() {
        primary.reset();
        backup.reset();
        primary.on(CHAT, Reply.json(Shapes.completion(MODEL, "from primary", 5, 2)));
        backup.on(CHAT, Reply.json(Shapes.completion(MODEL, "from backup", 5, 2)));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static String content(RelayGateway.Answer a) {
        return a.json().path("choices").path(0).path("message").path("content").asText();
    }

    @Test
    void theHighestPriorityTierServes() {
        for (int i = 0; i < 8; i++) {
            RelayGateway.Answer a = gw.post(CHAT, token.key(), chat(MODEL));
            assertEquals(200, a.status(), a.toString());
            assertEquals("from primary", content(a));
        }
        assertEquals(8, primary.requests().size());
        assertTrue(backup.requests().isEmpty(), "the lower tier is not used while the higher one works");
    }

    @Test
    void callersErrorIsNotRetried() {
        primary.on(CHAT, Reply.error(400, "invalid_request_error", "context_length_exceeded", "messages",
                "This model's maximum context length is 128000 tokens."));
        assertError(gw.post(CHAT, token.key(), chat(MODEL)), 400, "invalid_request_error", "context_length_exceeded");
        assertEquals(1, primary.requests().size());
        assertTrue(backup.requests().isEmpty(), "a 400 is never retried on another channel");
    }

    @Test
    void firstByteTimeoutIsNotRetriedByDefault() {
        primary.on(CHAT, Reply.json(Shapes.completion(MODEL, "too late", 5, 2)).delay(3000));
        assertError(gw.post(CHAT, token.key(), chat(MODEL)), 504, "upstream_error", "upstream_timeout");
        assertTrue(backup.requests().isEmpty(), "retry_on_timeout=false: the vendor may bill the first attempt");
    }

    @Test
    void serverErrorFailsOverToTheNextTier() {
        primary.on(CHAT, Reply.error(500, "server_error", null, null, "The server had an error"));
        RelayGateway.Answer a = gw.post(CHAT, token.key(), chat(MODEL));
        assertEquals(200, a.status(), a.toString());
        assertEquals("from backup", content(a));
        assertEquals(1, primary.requests().size(), "the failed channel is not tried again");
        assertEquals(1, backup.requests().size());
    }

    @Test
    void rateLimitedEverywhereIs429AfterOneAttemptPerChannel() {
        primary.on(CHAT, Reply.error(429, "requests", "rate_limit_exceeded", null, "Rate limit reached (primary)"));
        backup.on(CHAT, Reply.error(429, "requests", "rate_limit_exceeded", null, "Rate limit reached (backup)"));
        assertError(gw.post(CHAT, token.key(), chat(MODEL)), 429, "rate_limit_exceeded", "upstream_rate_limited");
        assertEquals(1, primary.requests().size(), "never re-picks a failed channel");
        assertEquals(1, backup.requests().size(), "falls through to the lower tier");
    }

    @Test
    void everyChannelFailingListsTheAttempts() {
        primary.on(CHAT, Reply.error(500, "server_error", null, null, "primary is down"));
        backup.on(CHAT, Reply.error(503, "server_error", null, null, "backup is down"));
        JsonNode e = assertError(gw.post(CHAT, token.key(), chat(MODEL)), 502, "upstream_error", "upstream_error");
        String m = e.path("message").asText();
        assertTrue(m.contains(String.valueOf(primaryChannel)) && m.contains(String.valueOf(backupChannel)),
                "the message lists the attempts: " + m);
    }

    @Test
    void vendorKeyErrorSkipsAndDisablesTheChannel() {
        primary.on(CHAT, Reply.error(401, "invalid_request_error", "invalid_api_key", null,
                "Incorrect API key provided: sk-vend****51d2."));
        RelayGateway.Answer a = gw.post(CHAT, token.key(), chat(KEY_MODEL));
        assertEquals(200, a.status(), "the next channel answers: " + a);
        assertEquals("from backup", content(a));
        RelayGateway.Answer ch = gw.admin("GET", "/api/channels/" + primaryKeyChannel, null);
        assertEquals("auto_disabled", ch.json().path("status").asText(), "the channel with the bad key: " + ch);
    }
}
