package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.relay.FakeUpstream.Received;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel's outbound proxy carries its upstream calls. The fake plays the HTTP proxy: the gateway sends it the
 * request in absolute form for a vendor host that does not even resolve, so only a proxied call can succeed.
 */
class ChannelProxyIT {

    private static final String VENDOR_HOST = "vendor.switchboard-proxy-test.invalid";
    private static final String MODEL = "gpt-via-proxy";

    @TempDir
    static Path tmp;

    static FakeUpstream proxy;
    static RelayGateway gw;
    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        proxy = FakeUpstream.start();
        gw = RelayGateway.start(tmp, Map.of());
        gw.channel(obj("name", "behind a proxy", "type", "openai", "base_url", "http://" + VENDOR_HOST + "/v1",
                "proxy", proxy.baseUrl(), "models", List.of(MODEL)));
        token = gw.token(obj("name", "proxy e2e"));
    }

    @AfterAll
    static void stop() {
        RelayGateway.finish(gw, proxy);
    }

    @Test
    void upstreamCallsGoThroughTheChannelsProxy() {
        proxy.on("/v1/chat/completions", Reply.json(Shapes.completion(MODEL, "proxied", 3, 1)));
        RelayGateway.Answer a = gw.post("/v1/chat/completions", token.key(),
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.text().contains("proxied"), a.text());
        Received r = proxy.requests().get(0);
        assertEquals("/v1/chat/completions", r.path());
        assertEquals(VENDOR_HOST, r.header("Host").replaceFirst(":80$", ""), "the proxy was asked for the vendor");
        assertTrue(r.header("Authorization").startsWith("Bearer "), "the channel's credentials travel along");
    }
}
