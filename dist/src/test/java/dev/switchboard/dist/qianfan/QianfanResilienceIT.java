package dev.switchboard.dist.qianfan;

import static dev.switchboard.dist.qianfan.QianfanGateway.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the core does with the adapter's verdicts: one re-authenticated re-send on 110/111 (refreshAndRetry),
 * auto-disable on a disabling verdict with Baidu's reason, failover to the next channel on a channel's fault.
 */
@Timeout(120)
class QianfanResilienceIT {

    private static final String HELLO = "{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Hello\"}]}";

    @TempDir
    Path tmp;

    private QianfanGateway gw;

    @BeforeEach
    void start() {
        gw = new QianfanGateway(tmp);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private QianfanGateway.Answer hello() {
        return gw.relay("/v1/chat/completions", HELLO);
    }

    @Test
    void anExpiredTokenIsFetchedAnewAndTheSameRequestSucceeds() {
        gw.v1Channel("v1", List.of("ERNIE-4.0-8K"));
        assertEquals(200, hello().status());
        gw.fake.expireTokens();
        gw.fake.reset();

        QianfanGateway.Answer a = hello();
        assertEquals(200, a.status(), a.toString());
        assertEquals(2, gw.fake.calls("/wenxinworkshop/").size(), "111, then the re-send with the new token");
        assertEquals(2, gw.fake.tokenExchanges());
        assertEquals("6", gw.logLine(a.requestId()).get("completion_tokens"));
    }

    @Test
    void a110AgainAfterReAuthenticationDisablesTheChannelWithBaidusReason() {
        long id = gw.v1Channel("v1", List.of("ERNIE-4.0-8K"));
        gw.fake.script(FakeQianfan.v1Error("/chat/", 110, "Access token invalid or no longer valid"));
        gw.fake.script(FakeQianfan.v1Error("/chat/", 110, "Access token invalid or no longer valid"));
        QianfanGateway.Answer a = hello();
        assertEquals(502, a.status(), a.toString());
        assertEquals(2, gw.fake.calls("/wenxinworkshop/").size(), "re-sent once, not more");
        JsonNode c = gw.channelView(id);
        assertEquals("auto_disabled", c.path("status").asText(), c.toString());
        assertTrue(c.path("status_reason").asText().contains("Access token invalid or no longer valid"), c.toString());
    }

    @Test
    void aRefusedKeyDisablesTheChannelWithBaidusDescription() {
        long id = gw.channel(map("name", "wrong secret", "type", "qianfan", "key", FakeQianfan.API_KEY + "|wrong",
                "base_url", gw.fake.baseUrl(), "models", List.of("ERNIE-4.0-8K")));
        QianfanGateway.Answer a = hello();
        assertEquals(502, a.status(), a.toString());
        JsonNode c = gw.channelView(id);
        assertEquals("auto_disabled", c.path("status").asText(), c.toString());
        assertTrue(c.path("status_reason").asText().contains("Client authentication failed"), c.toString());
        assertEquals("502", gw.logLine(a.requestId()).get("status"), "a request whose prepare failed is logged too");
    }

    @Test
    void aRateLimitedChannelFailsOverToTheNextOne() {
        long first = gw.channel(map("name", "first", "type", "qianfan", "key", gw.fake.v1Key(), "base_url",
                gw.fake.baseUrl(), "models", List.of("ERNIE-4.0-8K"), "priority", 10));
        long second = gw.channel(map("name", "second", "type", "qianfan", "key", gw.fake.v1Key(), "base_url",
                gw.fake.baseUrl(), "models", List.of("ERNIE-4.0-8K"), "priority", 0));
        gw.fake.script(FakeQianfan.v1Error("/chat/", 18, "Open api qps request limit reached"));
        QianfanGateway.Answer a = hello();
        assertEquals(200, a.status(), a.toString());
        assertEquals(String.valueOf(second), gw.logLine(a.requestId()).get("channel"));
        assertEquals("enabled", gw.channelView(first).path("status").asText(), "a rate limit disables nothing");
    }

    @Test
    void aChannelWithARefusedKeyIsSkippedForTheNextOneAndDisabled() {
        long bad = gw.channel(map("name", "bad", "type", "qianfan", "key", "nobody|x", "base_url",
                gw.fake.baseUrl(), "models", List.of("ERNIE-4.0-8K"), "priority", 10));
        long good = gw.channel(map("name", "good", "type", "qianfan", "key", gw.fake.v1Key(), "base_url",
                gw.fake.baseUrl(), "models", List.of("ERNIE-4.0-8K"), "priority", 0));
        QianfanGateway.Answer a = hello();
        assertEquals(200, a.status(), a.toString());
        assertEquals(String.valueOf(good), gw.logLine(a.requestId()).get("channel"));
        assertEquals("auto_disabled", gw.channelView(bad).path("status").asText());
    }
}
