package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static dev.switchboard.dist.relay.RelayGateway.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * timeout.idle cuts a stream whose upstream falls silent after its first event: the client, already streaming,
 * gets an OpenAI error event naming the timeout and then data: [DONE] (relay contract, streams and timeouts).
 */
class StreamIdleTimeoutIT {

    private static final String MODEL = "gpt-idle-e2e";

    @TempDir
    static Path tmp;

    static FakeUpstream fake;
    static RelayGateway gw;
    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        fake = FakeUpstream.start();
        gw = RelayGateway.start(tmp, Map.of("SWITCHBOARD_TIMEOUT_IDLE", "1s"));
        gw.channel(obj("name", "fake openai", "type", "openai", "base_url", fake.baseUrl(), "models", List.of(MODEL)));
        token = gw.token(obj("name", "idle e2e"));
    }

    @AfterAll
    static void stop() {
        RelayGateway.finish(gw, fake);
    }

    @Test
    void aStreamSilentForLongerThanTheIdleTimeoutEndsWithAnErrorEventAndDone() {
        fake.on("/v1/chat/completions", Reply.sse()
                .event(Shapes.chunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null, false))
                .thenHoldRaw(200, ": still thinking\n\n"));
        RawClient c = RawClient.post(gw.port(), "/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, c.status());
        List<RawClient.Line> lines = c.readAll();
        c.close();
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l.text()).append('\n'));
        gw.record(all.toString());
        List<String> data = lines.stream().filter(l -> l.text().startsWith("data:")).map(RawClient.Line::text)
                .toList();
        assertEquals(3, data.size(), "the first event, the error event and [DONE]:\n" + all);
        JsonNode error = parse(data.get(1).substring(5).strip()).path("error");
        assertEquals("upstream_timeout", error.path("code").asText(), all.toString());
        assertTrue(error.path("message").asText().contains("timeout.idle"), all.toString());
        assertEquals("data: [DONE]", data.get(2));
    }
}
