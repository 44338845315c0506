package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The channel an attempt uses, as an adapter sees it: a vendor account with its key and options.
 * Instances are immutable snapshots; a channel edited later reaches the adapter as a new snapshot.
 */
public interface Channel {

    /** @return the channel id */
    long id();

    /** @return the operator's name for the channel */
    String name();

    /** @return the vendor key in clear, in the format of {@link ChannelType#keyHint()}; never log it */
    String key();

    /**
     * @return the base URL to call: the channel's own {@code base_url} if set, else the type's default,
     *     without a trailing slash
     */
    String baseUrl();

    /** @return whether the operator set {@code base_url} on the channel */
    boolean hasCustomBaseUrl();

    /** @return the channel's per-type options ({@code config}); an empty object when none */
    JsonNode config();
}
