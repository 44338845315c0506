package dev.switchboard.core.relay;

/**
 * One upstream attempt of a request, for the log.
 *
 * @param channelId the channel tried
 * @param status the status it came to (the client's status for the last one)
 * @param ms how long it took
 * @param reason why it failed, or {@code null}
 */
public record AttemptInfo(long channelId, int status, long ms, String reason) {
}
