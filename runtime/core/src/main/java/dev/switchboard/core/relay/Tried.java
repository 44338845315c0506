package dev.switchboard.core.relay;

/**
 * One upstream call of a request, for the request log.
 *
 * @param channelId the channel
 * @param status the upstream's HTTP status, 0 when it gave none (refused, reset, timed out)
 * @param millis how long the call took, from sending to its end (or to the failure)
 * @param reason why it failed, or {@code null} when it served the answer
 */
public record Tried(long channelId, int status, long millis, String reason) {

    @Override
    public String toString() {
        return channelId + ":" + (status == 0 ? "-" : Integer.toString(status)) + ":" + millis + "ms"
                + (reason == null ? "" : ":" + reason);
    }
}
