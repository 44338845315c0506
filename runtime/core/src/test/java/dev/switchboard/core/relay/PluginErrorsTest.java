package dev.switchboard.core.relay;

import static dev.switchboard.core.routing.Fixtures.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.routing.Fixtures;
import org.junit.jupiter.api.Test;

/** What a client gets when a plugin fails: the channel, the plugin and the method named, nothing of the plugin's. */
class PluginErrorsTest {

    private final Candidate candidate = new Candidate(channel(7, 0, 1, "m"), Fixtures.installed("acme",
            Operation.CHAT), "m");

    @Test
    void aPluginFailureIsA502NamingChannelPluginAndMethodAndMayFailOver() {
        UpstreamError v = PluginErrors.verdict(candidate, new IllegalStateException("sk-secret-0123456789"),
                "prepare", "sk-secret-0123456789");
        assertEquals(502, v.status());
        assertEquals("plugin_error", v.code());
        assertEquals("upstream_error", v.type());
        assertEquals("[channel 7] the plugin test.acme 1.0.0 failed in prepare (java.lang.IllegalStateException)",
                v.message());
        assertTrue(v.retryable(), "another channel may serve the request");
        assertFalse(v.disableChannel(), "a plugin's bug is no reason to disable the channel's key");
        RelayError e = RelayError.upstream(v, 7, "sk-secret-0123456789");
        assertEquals(502, e.status());
        assertEquals("plugin_error", e.body().path("error").path("code").asText());
        assertEquals(7, e.body().path("error").path("channel_id").asLong());
    }

    @Test
    void anErrorFromAHalfGoneBundleIsNamedToo() {
        UpstreamError v = PluginErrors.verdict(candidate, new NoClassDefFoundError("com/acme/Gone"),
                "StreamTranslator.onEvent", null);
        assertTrue(v.message().endsWith("failed in StreamTranslator.onEvent (java.lang.NoClassDefFoundError)"),
                v.message());
    }
}
