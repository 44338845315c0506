package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.assertError;
import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.PluginJars;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.SseReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that fails in every contract method (test-plugins/faulty), deployed next to the shipped openai plugin:
 * each failure ends only its own request, with a 5xx naming the plugin and no stack trace; the channel's breaker
 * counts the failures; the openai channel never sees an error; no vendor key reaches a client or the log.
 */
@Timeout(120)
class PluginContainmentIT {

    private static final String CHAT = "/v1/chat/completions";
    private static final String OK_ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
    private static final String FAILING = "throw-prepare";

    @TempDir
    Path tmp;

    private RelayGateway gw;
    private FakeUpstream faultyUp;
    private FakeUpstream openaiUp;
    private String plugin;
    private long faultyChannel;
    private RelayGateway.Token token;

    @BeforeEach
    void start() throws Exception {
        faultyUp = FakeUpstream.start();
        openaiUp = FakeUpstream.start().on(CHAT, Reply.json(OK_ANSWER));
        gw = RelayGateway.start(tmp, Map.of());
        Path jar = PluginJars.faulty();
        String[] id = PluginJars.identity(jar);
        plugin = id[0] + " " + id[1];
        PluginJars.deploy(jar, gw.home().resolve("plugins"), "faulty.jar");
        assertTrue(Distribution.poll(Duration.ofSeconds(20), () -> gw.admin("GET", "/api/channel-types", null)
                .text().contains("\"faulty\"")).isPresent(), "the faulty plugin never came up"
                + gw.instance().output());
        faultyChannel = gw.channel(obj("name", "faulty", "type", "faulty", "base_url", faultyUp.baseUrl() + "/v1",
                "models", List.of("ok", FAILING, "linkage-prepare", "never-prepare", "throw-response",
                        "throw-translator", "throw-stream", "throw-error", "block-prepare", "block-stream"),
                "timeouts", obj("first_byte_ms", 1500)));
        gw.channel(obj("name", "openai", "type", "openai", "base_url", openaiUp.baseUrl() + "/v1",
                "models", List.of("gpt-ok")));
        token = gw.token(obj("name", "containment"));
    }

    @AfterEach
    void stop() {
        RelayGateway.finish(gw, faultyUp, openaiUp);
    }

    private RelayGateway.Answer chat(String model, boolean stream) {
        return gw.post(CHAT, token.key(), "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }

    /** The other plugin's channel answers as if nothing happened. */
    private void otherPluginServes() {
        RelayGateway.Answer a = chat("gpt-ok", false);
        assertEquals(200, a.status(), a.toString());
        assertEquals("Hi", a.json().at("/choices/0/message/content").asText(), a.toString());
    }

    private void assertPluginError(RelayGateway.Answer a, String method) {
        JsonNode e = assertError(a, 502, "upstream_error", "plugin_error");
        String m = e.path("message").asText();
        assertTrue(m.contains("[channel " + faultyChannel + "]"), m);
        assertTrue(m.contains("the plugin " + plugin + " failed in " + method), m);
        assertFalse(m.contains("on purpose"), "the plugin's own message stays in the log: " + m);
    }

    @Test
    void everyFailureEndsOnlyItsRequestNamingThePluginAndTheBreakerCountsThem() throws Exception {
        faultyUp.enqueue(CHAT, Reply.json(OK_ANSWER));
        RelayGateway.Answer ok = chat("ok", false);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(plugin, ok.json().path("system_fingerprint").asText(), "served by the faulty plugin: " + ok);

        assertPluginError(chat(FAILING, false), "prepare (java.lang.IllegalStateException)");
        otherPluginServes();
        assertPluginError(chat("linkage-prepare", false), "prepare (java.lang.NoClassDefFoundError)");
        otherPluginServes();

        faultyUp.enqueue(CHAT, Reply.json(OK_ANSWER));
        assertPluginError(chat("throw-response", false), "translateResponse (java.lang.NullPointerException)");
        otherPluginServes();

        faultyUp.enqueue(CHAT, Reply.sse("{\"choices\":[]}"));
        assertPluginError(chat("throw-translator", true),
                "newStreamTranslator (java.lang.UnsupportedOperationException)");
        otherPluginServes();

        faultyUp.enqueue(CHAT, Reply.error(500, "application/json", "{\"error\":\"throw-error\"}"));
        assertPluginError(chat("throw-error", false), "translateError (java.lang.LinkageError)");
        otherPluginServes();

        // A stream that breaks in the translator after its first chunk: an error event naming the plugin, [DONE].
        faultyUp.enqueue(CHAT, Reply.sse().data(chunk("Hel")).pause(Duration.ofMillis(200)).data(chunk("lo"))
                .done().build());
        RelayGateway.Answer stream = chat("throw-stream", true);
        assertEquals(200, stream.status(), stream.toString());
        List<SseEvent> events = SseReader.parse(stream.text());
        assertEquals(3, events.size(), stream.toString());
        assertEquals("Hel", RelayGateway.parse(events.get(0).data()).at("/choices/0/delta/content").asText());
        JsonNode error = RelayGateway.parse(events.get(1).data()).path("error");
        assertEquals("plugin_error", error.path("code").asText(), stream.toString());
        assertTrue(error.path("message").asText().contains(plugin + " failed in StreamTranslator.onEvent"),
                stream.toString());
        assertEquals("[DONE]", events.get(2).data(), stream.toString());
        otherPluginServes();

        // A preparation that never completes is cut by the channel's first-byte timeout; no thread waits on it.
        long start = System.nanoTime();
        JsonNode cut = assertError(chat("never-prepare", false), 504, "upstream_error", "upstream_timeout");
        assertTrue(cut.path("message").asText().contains("the plugin " + plugin
                + " did not prepare the call within 1500 ms (timeout.first_byte)"), cut.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0);
        otherPluginServes();

        // Admin calls into the plugin are contained too: nothing saved, a 5xx naming it.
        RelayGateway.Answer refused = gw.admin("POST", "/api/channels", obj("name", "bad config", "type", "faulty",
                "key", "k-0123456789", "models", List.of("ok"), "config", obj("mode", "throw")));
        JsonNode e = assertError(refused, 502, "server_error", "plugin_error");
        assertTrue(e.path("message").asText().contains(plugin + " failed in validateConfig"), e.toString());
        assertEquals(2, gw.admin("GET", "/api/channels", null).json().path("total").asInt());
        RelayGateway.Answer models = gw.admin("POST", "/api/channels/" + faultyChannel + "/fetch-models", null);
        assertEquals(502, models.status(), models.toString());
        assertTrue(models.text().contains(plugin + " failed in listModels"), models.toString());

        // The failures count against the channel: its breaker opens, and then routing skips it.
        RelayGateway.Answer last = null;
        for (int i = 0; i < 20; i++) {
            last = chat(FAILING, false);
            if (last.status() == 503) {
                break;
            }
            assertPluginError(last, "prepare");
        }
        JsonNode open = assertError(last, 503, "server_error", "no_available_channel");
        assertTrue(open.path("message").asText().contains("breaker"), open.toString());
        otherPluginServes();
        assertTrue(gw.instance().process().isAlive());
    }

    @Test
    void aPluginThatBlocksANetworkThreadIsNamedInTheLogAndCountedOnMetrics() {
        faultyUp.enqueue(CHAT, Reply.json(OK_ANSWER));
        RelayGateway.Answer ok = chat("block-prepare", false);
        assertEquals(200, ok.status(), "blocking is bad, but not an error: " + ok);
        faultyUp.enqueue(CHAT, Reply.sse().data(chunk("Hel")).data(chunk("lo")).done().build());
        RelayGateway.Answer stream = chat("block-stream", true);
        assertEquals(200, stream.status(), stream.toString());
        assertTrue(stream.text().contains("[DONE]"), stream.toString());
        faultyUp.enqueue(CHAT, Reply.json(OK_ANSWER));
        assertEquals(200, chat("block-prepare", false).status());

        String metrics = gw.get("/metrics", null).text();
        assertTrue(metrics.contains("switchboard_plugin_slow_calls_total{method=\"prepare\",plugin=\"" + plugin
                + "\"} 2.0"), metrics);
        assertTrue(metrics.contains("switchboard_plugin_slow_calls_total{method=\"StreamTranslator.onEvent\",plugin=\""
                + plugin + "\"} 1.0"), metrics);
        // Logged once per plugin and method (the second slow prepare within the minute only counts).
        String log = gw.instance().output();
        assertEquals(1, log.lines().filter(l -> l.contains("the plugin " + plugin + " held a network thread for")
                && l.contains(" ms in prepare (channel " + faultyChannel + ")")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains(" ms in StreamTranslator.onEvent (channel ")).count(), log);
        otherPluginServes();
        assertFalse(gw.get("/metrics", null).text().contains("plugin=\"dev.switchboard.plugin.openai"),
                "a quick plugin is never counted");
    }

    private static String chunk(String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }
}
