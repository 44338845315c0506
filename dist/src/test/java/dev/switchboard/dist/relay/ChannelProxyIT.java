package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.relay.FakeUpstream.Received;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel's outbound proxy carries its upstream calls. The fake plays the HTTP proxy: the gateway sends it the
 * request in absolute form for a vendor host that does not even resolve, so only a proxied call can succeed.
 */
class ChannelProxyIT {

    private static final String VENDOR_HOST = "vendor.switchboard-proxy-test.invalid";
    private static final String MODEL = "gpt-via-proxy";

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of());

    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        relay.gw().channel(obj("name", "behind a proxy", "type", "openai", "base_url", "http://" + VENDOR_HOST + "/v1",
                "proxy", relay.fake().baseUrl(), "models", List.of(MODEL)));
        token = relay.gw().token(obj("name", "proxy e2e"));
    }

    @Test
    void upstreamCallsGoThroughTheChannelsProxy() {
        relay.fake().on("/v1/chat/completions", Reply.json(Shapes.completion(MODEL, "proxied", 3, 1)));
        RelayGateway.Answer a = relay.gw().post("/v1/chat/completions", token.key(),
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.text().contains("proxied"), a.text());
        Received r = relay.fake().requests().get(0);
        assertEquals("/v1/chat/completions", r.path());
        assertEquals(VENDOR_HOST, r.header("Host").replaceFirst(":80$", ""), "the proxy was asked for the vendor");
        assertTrue(r.header("Authorization").startsWith("Bearer "), "the channel's credentials travel along");
    }
}
