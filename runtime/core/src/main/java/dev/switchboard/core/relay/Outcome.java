package dev.switchboard.core.relay;

import dev.switchboard.api.provider.Usage;
import java.util.List;

/**
 * What one relayed request came to, for accounting and the request log.
 *
 * @param requestId the request id
 * @param tokenId the relay token
 * @param userId its owner
 * @param channelId the channel used, or 0 when none was
 * @param model the model asked for
 * @param upstreamModel the model sent upstream, or null
 * @param stream whether the answer streamed
 * @param status the HTTP status sent to the client
 * @param usage the usage billed ({@link Usage#NONE} when none)
 * @param firstByteMs time to the upstream's first byte, or -1
 * @param totalMs total time
 * @param error the error message, or null
 * @param clientIp the client's address
 * @param attempts how many upstream calls were made
 * @param tried each upstream call: channel, status, time and why it failed
 * @param hold what the request pre-consumed ({@link Admission.Hold#NONE} when admission did not run)
 * @param generated what the upstream generated, to count when it gave no usage
 */
public record Outcome(String requestId, long tokenId, long userId, long channelId, String model,
        String upstreamModel, boolean stream, int status, Usage usage, long firstByteMs, long totalMs, String error,
        String clientIp, int attempts, List<Tried> tried, Admission.Hold hold, GeneratedText generated) {
}
