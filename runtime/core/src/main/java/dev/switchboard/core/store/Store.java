package dev.switchboard.core.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's durable state. Reads return what is committed; each write returns a stage that completes once
 * the change is committed (so an API may answer only then), or fails when it could not be.
 */
public interface Store extends AutoCloseable {

    /** The schema version this code writes. */
    int SCHEMA_VERSION = 1;

    /** @return every channel */
    List<ChannelRecord> channels();

    /** @return every token */
    List<TokenRecord> tokens();

    /**
     * Creates (id 0: an id is assigned) or replaces a channel.
     *
     * @param channel the channel
     * @return the stored channel, with its id
     */
    CompletionStage<ChannelRecord> saveChannel(ChannelRecord channel);

    /**
     * @param id a channel id
     * @return whether it existed
     */
    CompletionStage<Boolean> deleteChannel(long id);

    /**
     * Creates (id 0: an id is assigned) or replaces a token.
     *
     * @param token the token
     * @return the stored token, with its id
     */
    CompletionStage<TokenRecord> saveToken(TokenRecord token);

    /**
     * @param id a token id
     * @return whether it existed
     */
    CompletionStage<Boolean> deleteToken(long id);

    /**
     * @param key a setting of the store's own, e.g. {@code admin_token_sha256}
     * @return its value
     */
    Optional<String> meta(String key);

    /**
     * @param key a setting of the store's own
     * @param value its value
     * @return a stage completed once committed
     */
    CompletionStage<Void> putMeta(String key, String value);

    /** Commits what is pending and closes the store; later writes fail. */
    @Override
    void close();
}
