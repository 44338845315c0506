package dev.switchboard.core.store;

import java.util.List;

/**
 * One log entry: a relayed request ({@code type} {@code relay}) or an admin action ({@code admin}). Never holds a
 * prompt, an answer or a key.
 *
 * @param id the id: creation time in milliseconds times 1000 plus a sequence, so ids sort by time
 * @param createdAt unix seconds
 * @param type {@code relay} or {@code admin}
 * @param userId the user who made the request or did the action
 * @param tokenId the relay token, 0 for admin actions
 * @param tokenName the token's name at the time
 * @param channelId the channel that answered last, 0 when none
 * @param model the model asked for
 * @param upstreamModel the model sent upstream
 * @param isStream whether the answer streamed
 * @param promptTokens prompt tokens billed
 * @param completionTokens completion tokens billed
 * @param cachedTokens cached prompt tokens billed
 * @param cost micro-units charged
 * @param unpriced whether the model had no price (served at cost 0)
 * @param usageCounted whether usage was counted by the gateway because the upstream gave none
 * @param firstByteMs time to the upstream's first byte, -1 when none
 * @param totalMs total time
 * @param status the HTTP status sent
 * @param error the error message, or {@code null}
 * @param attempts the upstream attempts, in order
 * @param clientIp the client's address
 * @param requestId the request id
 * @param action for admin entries: what was done, e.g. {@code POST /api/channels}
 */
public record LogRecord(long id, long createdAt, String type, long userId, long tokenId, String tokenName,
        long channelId, String model, String upstreamModel, boolean isStream, long promptTokens,
        long completionTokens, long cachedTokens, long cost, boolean unpriced, boolean usageCounted,
        long firstByteMs, long totalMs, int status, String error, List<AttemptEntry> attempts, String clientIp,
        String requestId, String action) {

    /** Type of a relayed request's entry. */
    public static final String RELAY = "relay";
    /** Type of an admin action's entry. */
    public static final String ADMIN = "admin";

    /**
     * One upstream attempt.
     *
     * @param channelId the channel tried
     * @param status the status it came to
     * @param ms how long it took
     * @param reason why it failed, or {@code null}
     */
    public record AttemptEntry(long channelId, int status, long ms, String reason) {
    }

    /** @param newId the id @return a copy with that id */
    public LogRecord withId(long newId) {
        return new LogRecord(newId, createdAt, type, userId, tokenId, tokenName, channelId, model, upstreamModel,
                isStream, promptTokens, completionTokens, cachedTokens, cost, unpriced, usageCounted, firstByteMs,
                totalMs, status, error, attempts, clientIp, requestId, action);
    }
}
