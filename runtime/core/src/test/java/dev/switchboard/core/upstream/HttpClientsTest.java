package dev.switchboard.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.server.GatewayServer;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

    private final HttpClients clients = new HttpClients(Duration.ofSeconds(5));

    @Test
    void aCallUrlIsParsedOnceAndAnsweredFromTheCacheAfter() {
        HttpClients.CallUrl first = clients.url("http://127.0.0.1:8080/v1/chat/completions");
        assertEquals(URI.create("http://127.0.0.1:8080/v1/chat/completions"), first.uri());
        assertSame(first, clients.url("http://127.0.0.1:8080/v1/chat/completions"));
    }

    @Test
    void urlsThatDifferPerRequestStillParseRightPastTheCachesBound() {
        for (int i = 0; i < 10_000; i++) {
            String url = "https://vendor.example/v1/chat?access_token=t" + i;
            assertEquals("access_token=t" + i, clients.url(url).uri().getRawQuery());
        }
    }

    @Test
    void aUrlThatIsNotAUriFailsAsJettyWouldHaveFailed() {
        assertThrows(IllegalArgumentException.class, () -> clients.url("http://a b/v1"));
    }

    @Test
    void theHostHeaderIsTheUrlsHostAndPortWithoutUserInformation() {
        assertEquals("vendor.example", clients.url("https://vendor.example/v1").host().getValue());
        assertEquals("127.0.0.1:8080", clients.url("http://user:secret@127.0.0.1:8080/v1").host().getValue());
        assertEquals("[::1]:9000", clients.url("http://[::1]:9000/v1").host().getValue());
        assertNull(clients.url("file:///tmp/x").host());
    }

    /** What the upstream receives: one Host header, the URL's, unless the adapter's headers name another. */
    @Test
    void anUpstreamReceivesOneHostHeader() throws Exception {
        Handler echoHost = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String hosts = String.join(",", request.getHeaders().getValuesList(HttpHeader.HOST));
                Content.Sink.write(response, true, hosts, callback);
                return true;
            }
        };
        GatewayServer upstream = new GatewayServer("127.0.0.1", 0, Duration.ofSeconds(5), echoHost);
        upstream.start();
        try {
            clients.start();
            String url = "http://127.0.0.1:" + upstream.port() + "/v1/chat/completions";
            ContentResponse plain = clients.newRequest(clients.forProxy(null), url).send();
            assertEquals("127.0.0.1:" + upstream.port(), plain.getContentAsString());
            ContentResponse named = clients.newRequest(clients.forProxy(null), url)
                    .headers(h -> h.put(HttpHeader.HOST, "vendor.example")).send();
            assertEquals("vendor.example", named.getContentAsString());
        } finally {
            clients.stop();
            upstream.stop();
        }
    }
}
