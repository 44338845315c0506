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
 * timeout.total cuts a call that is never silent but goes on too long: a stream that keeps sending ends with an
 * error event naming the timeout and data: [DONE]; an answer that does not start in time is a 504.
 */
class TotalTimeoutIT {

    private static final String MODEL = "gpt-total-e2e";

    @TempDir
    static Path tmp;

    static FakeUpstream fake;
    static RelayGateway gw;
    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        fake = FakeUpstream.start();
        gw = RelayGateway.start(tmp, Map.of("SWITCHBOARD_TIMEOUT_TOTAL", "2s"));
        gw.channel(obj("name", "fake openai", "type", "openai", "base_url", fake.baseUrl(), "models", List.of(MODEL)));
        token = gw.token(obj("name", "total e2e"));
    }

    @AfterAll
    static void stop() {
        RelayGateway.finish(gw, fake);
    }

    @Test
    void aStreamLongerThanTheTotalTimeoutEndsWithAnErrorEventAndDone() {
        fake.on("/v1/chat/completions", Reply.sse()
                .event(Shapes.chunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null, false))
                .thenHold(200, Shapes.chunk(MODEL, "{\"content\":\"lo\"}", null, false)));
        long t0 = System.nanoTime();
        RawClient c = RawClient.post(gw.port(), "/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, c.status());
        List<RawClient.Line> lines = c.readAll();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        c.close();
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l.text()).append('\n'));
        gw.record(all.toString());
        List<String> data = lines.stream().filter(l -> l.text().startsWith("data:")).map(RawClient.Line::text)
                .toList();
        assertTrue(data.size() > 4, "the stream ran until cut:\n" + all);
        JsonNode error = parse(data.get(data.size() - 2).substring(5).strip()).path("error");
        assertEquals("upstream_timeout", error.path("code").asText(), all.toString());
        assertTrue(error.path("message").asText().contains("timeout.total"), all.toString());
        assertEquals("data: [DONE]", data.get(data.size() - 1));
        assertTrue(ms >= 2000 && ms < 4000, "cut after the 2 s of timeout.total, took " + ms + " ms");
    }

    @Test
    void anAnswerThatDoesNotStartInTimeIsA504NamingTheTimeout() {
        fake.on("/v1/chat/completions", Reply.json("{\"id\":\"late\"}").delay(5000));
        RelayGateway.Answer a = gw.post("/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        gw.record(a);
        JsonNode error = RelayGateway.assertError(a, 504, "upstream_error", "upstream_timeout");
        assertTrue(error.path("message").asText().contains("timeout.total"), error.toString());
    }
}
