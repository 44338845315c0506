package dev.switchboard.core.relay;

import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.adapter.PluginFailure;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.store.KeyScrub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request gets when a plugin's code fails in it: a 502 {@code plugin_error} naming the channel and the
 * plugin (symbolic name and version), counted against the channel like any failure of the channel's, so its
 * breaker opens on a plugin that keeps failing. The stack trace goes to the log, never to the client.
 */
final class PluginErrors {

    private static final Logger LOG = LoggerFactory.getLogger(PluginErrors.class);

    private PluginErrors() {
    }

    /**
     * @param c the channel whose plugin failed
     * @param failure what the plugin threw, or how its stage failed
     * @param method the contract method, e.g. {@code prepare}
     * @param channelKey the channel's vendor key, scrubbed from what is logged (a plugin's message may hold it)
     * @return the verdict: retryable on another channel, as the failure is this plugin's
     */
    static UpstreamError verdict(Candidate c, Throwable failure, String method, String channelKey) {
        PluginFailure f = PluginFailure.of(c.adapter().plugin(), method, failure);
        Throwable cause = f.getCause() == null ? f : f.getCause();
        LOG.warn("channel {}: {}", c.channel().id(), f.getMessage(), scrubbed(cause, channelKey));
        return UpstreamError.builder(502, "plugin_error", "[channel " + c.channel().id() + "] " + f.getMessage())
                .retryable(true).build();
    }

    /** The plugin's failure for the log: its class, message without the key, and stack, for the plugin's author. */
    private static Throwable scrubbed(Throwable t, String key) {
        Throwable copy = new Throwable(t.getClass().getName() + ": " + KeyScrub.scrub(String.valueOf(t.getMessage()),
                key), t.getCause() == null ? null : scrubbed(t.getCause(), key), false, true) {
            private static final long serialVersionUID = 1L;

            @Override
            public String toString() {
                return getMessage();
            }
        };
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }
}
