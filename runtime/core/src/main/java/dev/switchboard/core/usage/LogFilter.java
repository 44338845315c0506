package dev.switchboard.core.usage;

import dev.switchboard.core.store.LogRecord;

/**
 * Which log entries a query wants; {@code null} fields match everything.
 *
 * @param from least {@code created_at} (unix seconds, inclusive)
 * @param to greatest {@code created_at} (unix seconds, inclusive)
 * @param type {@code relay} or {@code admin}
 * @param userId the user
 * @param tokenId the token
 * @param model the model asked for
 * @param channelId the channel
 * @param status an HTTP status, or -1 for every error (400 and up), -2 for every success
 */
public record LogFilter(Long from, Long to, String type, Long userId, Long tokenId, String model, Long channelId,
        Integer status) {

    /** Status filter value meaning "any error". */
    public static final int ERRORS = -1;
    /** Status filter value meaning "any success". */
    public static final int SUCCESSES = -2;

    /** @return the least log id in range */
    long fromId() {
        return from == null ? 0 : Math.max(0, from) * 1_000_000;
    }

    /** @return the end of the id range (exclusive) */
    long toId() {
        return to == null || to >= Long.MAX_VALUE / 1_000_000 - 1 ? Long.MAX_VALUE : (to + 1) * 1_000_000;
    }

    /** @param e an entry @return whether it matches */
    boolean matches(LogRecord e) {
        return (type == null || type.equals(e.type()))
                && (userId == null || userId == e.userId())
                && (tokenId == null || tokenId == e.tokenId())
                && (model == null || model.equals(e.model()))
                && (channelId == null || channelId == e.channelId())
                && (status == null || (status == ERRORS ? e.status() >= 400
                        : status == SUCCESSES ? e.status() < 400 : status == e.status()));
    }
}
