package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static dev.switchboard.dist.relay.RelayGateway.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Silent upstreams (reasoning models thinking): with {@code stream.keepalive=500ms} the client gets
 * {@code : keep-alive} comment lines between events, and a client that hangs up while the upstream is silent is
 * noticed at the next keep-alive, which cancels the upstream call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamKeepAliveIT {

    private static final String MODEL = "o-thinker-e2e";

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of("SWITCHBOARD_STREAM_KEEPALIVE", "500ms"));

    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        relay.gw().channel(obj("name", "fake openai", "type", "openai", "base_url", relay.fake().baseUrl(),
                "models", List.of(MODEL)));
        token = relay.gw().token(obj("name", "keep-alive e2e"));
    }

    private static String chunk(String delta, String finish) {
        return Shapes.chunk(MODEL, delta, finish, false);
    }

    @Test
    void silentUpstreamGetsKeepAliveCommentsBetweenEvents() {
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null))
                .pause(1500)
                .event(chunk("{\"content\":\"thought\"}", null))
                .pause(1500)
                .event(chunk("{}", "stop"))
                .done());
        RawClient c = RawClient.post(relay.gw().port(), "/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"think\"}]}");
        assertEquals(200, c.status());
        List<RawClient.Line> lines = c.readAll();
        c.close();
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l.text()).append('\n'));
        relay.gw().record(all.toString());

        long keepAlives = lines.stream().filter(l -> l.text().equals(": keep-alive")).count();
        assertTrue(keepAlives >= 1, "a ': keep-alive' comment line while the upstream was silent:\n" + all);
        List<String> data = lines.stream().filter(l -> l.text().startsWith("data:")).map(RawClient.Line::text)
                .toList();
        assertEquals(4, data.size(), "the three events and [DONE], no more, no less:\n" + all);
        assertEquals("thought", parse(data.get(1).substring(5).strip()).path("choices").path(0).path("delta")
                .path("content").asText(), "events are intact around the comments:\n" + all);
        assertEquals("data: [DONE]", data.get(3));
        // Every line is a data line, a comment or a blank separator: comments never split an event.
        for (RawClient.Line l : lines) {
            assertTrue(l.text().isEmpty() || l.text().startsWith("data: ") || l.text().startsWith(":"),
                    "an SSE line: '" + l.text() + "'");
        }
        System.out.println("[e2e] " + keepAlives + " keep-alive comments over a stream with two 1.5 s pauses");
    }

    @Test
    void clientHangingUpWhileTheUpstreamIsSilentCancelsTheUpstreamCall() {
        relay.fake().on("/v1/chat/completions", Reply.sse()
                .event(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null))
                .thenHoldRaw(200, ": thinking\n\n"));
        RawClient c = RawClient.post(relay.gw().port(), "/v1/chat/completions", token.key(), "{\"model\":\"" + MODEL
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"think forever\"}]}");
        assertEquals(200, c.status());
        RawClient.Line first = c.readLine();
        while (first != null && !first.text().startsWith("data:")) {
            first = c.readLine();
        }
        assertNotNull(first, "a first event");
        relay.gw().record(first.text());
        long hungUp = System.nanoTime();
        c.close();

        System.out.println("[e2e] silent upstream: its connection closed "
                + relay.fake().awaitFirstCallCancelled(hungUp) + " ms after the client hung up");
    }
}
