package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static dev.switchboard.dist.relay.RelayGateway.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's own timers (relay contract, streams and timeouts): timeout.idle cuts a stream whose upstream falls
 * silent after its first event, timeout.total one that never falls silent but goes on too long; either way the
 * client, already streaming, gets an OpenAI error event naming the timeout and then data: [DONE]. An answer that
 * does not start within timeout.total is a 504.
 */
class RelayTimeoutsIT {

    private static final String MODEL = "gpt-timeouts-e2e";
    private static final String STREAM = "{\"model\":\"" + MODEL
            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of("SWITCHBOARD_TIMEOUT_IDLE", "1s",
            "SWITCHBOARD_TIMEOUT_TOTAL", "3s"));

    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        relay.gw().channel(obj("name", "fake openai", "type", "openai", "base_url", relay.fake().baseUrl(),
                "models", List.of(MODEL)));
        token = relay.gw().token(obj("name", "timeouts e2e"));
    }

    @Test
    void aStreamSilentForLongerThanTheIdleTimeoutEndsWithAnErrorEventAndDone() {
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(Shapes.chunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null, false))
                .thenHoldRaw(200, ": still thinking\n\n"));
        List<String> data = streamData();
        assertEquals(3, data.size(), "the first event, the error event and [DONE]: " + data);
        assertCutBy("timeout.idle", data);
    }

    @Test
    void aStreamLongerThanTheTotalTimeoutEndsWithAnErrorEventAndDone() {
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(Shapes.chunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null, false))
                .thenHold(200, Shapes.chunk(MODEL, "{\"content\":\"lo\"}", null, false)));
        long t0 = System.nanoTime();
        List<String> data = streamData();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(data.size() > 6, "the stream ran, never idle, until cut: " + data);
        assertCutBy("timeout.total", data);
        assertTrue(ms >= 3000 && ms < 5000, "cut after the 3 s of timeout.total, took " + ms + " ms");
    }

    @Test
    void anAnswerThatDoesNotStartWithinTheTotalTimeoutIsA504NamingIt() {
        relay.fake().on("/v1/chat/completions", Reply.json("{\"id\":\"late\"}").delay(6000));
        RelayGateway.Answer a = relay.gw().post("/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        relay.gw().record(a);
        JsonNode error = RelayGateway.assertError(a, 504, "upstream_error", "upstream_timeout");
        assertTrue(error.path("message").asText().contains("timeout.total"), error.toString());
    }

    /** @return the data lines of a streamed chat, read to its end */
    private static List<String> streamData() {
        RawClient c = RawClient.post(relay.gw().port(), "/v1/chat/completions", token.key(), STREAM);
        assertEquals(200, c.status());
        List<RawClient.Line> lines = c.readAll();
        c.close();
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l.text()).append('\n'));
        relay.gw().record(all.toString());
        return lines.stream().filter(l -> l.text().startsWith("data:")).map(RawClient.Line::text).toList();
    }

    /** The stream's last two data lines: an upstream_timeout error event naming the setting, then [DONE]. */
    private static void assertCutBy(String setting, List<String> data) {
        JsonNode error = parse(data.get(data.size() - 2).substring(5).strip()).path("error");
        assertEquals("upstream_timeout", error.path("code").asText(), data.toString());
        assertTrue(error.path("message").asText().contains(setting), data.toString());
        assertEquals("data: [DONE]", data.get(data.size() - 1));
    }
}
