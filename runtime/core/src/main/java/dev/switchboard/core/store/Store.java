package dev.switchboard.core.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's durable state. Reads return what is committed; each write returns a stage that completes once
 * the change is committed (so an API may answer only then), or fails when it could not be.
 */
public interface Store extends StoreCopy.Source, AutoCloseable {

    /** The schema version this code writes. */
    int SCHEMA_VERSION = 2;

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

    /** @return every setting of the store's own, by key (a copy) */
    java.util.Map<String, String> allMeta();

    /**
     * @param key a setting of the store's own
     * @param value its value
     * @return a stage completed once committed
     */
    CompletionStage<Void> putMeta(String key, String value);

    /** @return every user */
    List<UserRecord> users();

    /**
     * Creates (id 0: an id is assigned) or replaces a user; an explicit id is kept (root is 1).
     *
     * @param user the user
     * @return the stored user, with its id
     */
    CompletionStage<UserRecord> saveUser(UserRecord user);

    /** @param id a user id @return whether it existed */
    CompletionStage<Boolean> deleteUser(long id);

    /** @return every model price */
    List<PriceRecord> prices();

    /** @param price the price of its model @return the stored price */
    CompletionStage<PriceRecord> savePrice(PriceRecord price);

    /** @param model a model name @return whether it had a price */
    CompletionStage<Boolean> deletePrice(String model);

    /** @return every group with a multiplier */
    List<GroupRecord> groups();

    /** @param group the group @return the stored group */
    CompletionStage<GroupRecord> saveGroup(GroupRecord group);

    /** @param name a group @return whether it existed */
    CompletionStage<Boolean> deleteGroup(String name);

    /**
     * Writes one window of accounting as one change (write-behind: callers do not wait on the hot path).
     *
     * @param batch balances and log entries
     * @return a stage completed once committed
     */
    CompletionStage<Void> writeUsage(UsageBatch batch);

    /**
     * Visits log entries with ids in {@code [fromId, toId)}.
     *
     * @param fromId the least id (inclusive)
     * @param toId the end (exclusive)
     * @param newestFirst the order
     * @param visitor called per entry; returns false to stop
     */
    void scanLogs(long fromId, long toId, boolean newestFirst, java.util.function.Predicate<LogRecord> visitor);

    /** @return the largest log id, or 0 when there is none */
    long lastLogId();

    /**
     * Removes log entries older than an id (retention).
     *
     * @param beforeId entries with smaller ids go
     * @param max at most this many in this change, so one commit stays small
     * @return how many were removed
     */
    CompletionStage<Integer> deleteLogsBefore(long beforeId, int max);

    /**
     * Writes a consistent copy of the whole store into a new file, between two commits (writes wait meanwhile).
     *
     * @param target a file that does not exist yet
     * @return a stage completed once the copy is closed
     */
    CompletionStage<Void> backup(java.nio.file.Path target);

    /** Commits what is pending and closes the store; later writes fail. */
    @Override
    void close();
}
