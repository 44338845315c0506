package dev.switchboard.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Forwarded-For is believed only from trusted proxies, right to left. */
class TrustedProxiesTest {

    private final TrustedProxies proxies = new TrustedProxies(List.of("127.0.0.1", "10.0.0.0/8", "::1"));

    @Test
    void aTrustedProxyNamesTheClient() {
        assertEquals("203.0.113.7", proxies.client("127.0.0.1", List.of("203.0.113.7")));
        assertEquals("203.0.113.7", proxies.client("0:0:0:0:0:0:0:1", List.of("203.0.113.7")));
    }

    @Test
    void theRightMostUntrustedHopIsTheClientNotWhatTheClientWrote() {
        assertEquals("198.51.100.2", proxies.client("127.0.0.1", List.of("6.6.6.6, 198.51.100.2, 10.1.2.3")));
        assertEquals("198.51.100.2", proxies.client("127.0.0.1", List.of("6.6.6.6", "198.51.100.2", "10.1.2.3")));
        assertEquals("10.1.2.3", proxies.client("127.0.0.1", List.of("10.1.2.3")), "all trusted: the left-most");
        assertEquals("198.51.100.2", proxies.client("127.0.0.1", List.of("198.51.100.2:4321")));
        assertEquals("2001:db8::1", proxies.client("127.0.0.1", List.of("[2001:db8::1]:443")));
        assertEquals("127.0.0.1", proxies.client("127.0.0.1", List.of("unknown")), "garbage is not an address");
    }

    @Test
    void anyoneElsesHeaderIsIgnored() {
        assertEquals("198.51.100.9", proxies.client("198.51.100.9", List.of("10.1.2.3")));
        assertEquals("127.0.0.1", TrustedProxies.NONE.client("127.0.0.1", List.of("203.0.113.7")));
        assertEquals("127.0.0.1", proxies.client("127.0.0.1", null));
    }

    @Test
    void blocksAreMatchedByPrefixAndNeverLookedUp() {
        assertTrue(proxies.trusted("10.255.0.1"));
        assertFalse(proxies.trusted("11.0.0.1"));
        assertFalse(proxies.trusted("localhost"));
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("proxy.example")));
    }
}
