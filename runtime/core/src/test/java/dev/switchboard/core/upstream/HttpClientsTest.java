package dev.switchboard.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

    private final HttpClients clients = new HttpClients(Duration.ofSeconds(5));

    @Test
    void aCallUrlIsParsedOnceAndAnsweredFromTheCacheAfter() {
        URI first = clients.uri("http://127.0.0.1:8080/v1/chat/completions");
        assertEquals(URI.create("http://127.0.0.1:8080/v1/chat/completions"), first);
        assertSame(first, clients.uri("http://127.0.0.1:8080/v1/chat/completions"));
    }

    @Test
    void urlsThatDifferPerRequestStillParseRightPastTheCachesBound() {
        for (int i = 0; i < 10_000; i++) {
            String url = "https://vendor.example/v1/chat?access_token=t" + i;
            assertEquals("access_token=t" + i, clients.uri(url).getRawQuery());
        }
    }

    @Test
    void aUrlThatIsNotAUriFailsAsJettyWouldHaveFailed() {
        assertThrows(IllegalArgumentException.class, () -> clients.uri("http://a b/v1"));
    }
}
