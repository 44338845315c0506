package dev.switchboard.core.routing;

import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.store.ChannelRecord;

/**
 * A channel that can serve a request, with its adapter and the model name to send it.
 *
 * @param channel the channel
 * @param adapter the adapter of its type, installed now
 * @param upstreamModel the model name after the channel's mapping
 */
public record Candidate(ChannelRecord channel, InstalledAdapter adapter, String upstreamModel) {
}
