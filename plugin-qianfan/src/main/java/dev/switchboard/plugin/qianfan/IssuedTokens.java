package dev.switchboard.plugin.qianfan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which channel and token each v1 request in flight was prepared with. The api hands {@link
 * dev.switchboard.api.provider.ProviderAdapter#translateResponse} the request but not its channel, and an
 * HTTP-200 answer 110/111 must drop exactly the token that request used. Entries are taken when the answer is
 * translated; those of calls that never got an answer (a refused connection, a non-2xx status) are swept after
 * {@link #MAX_AGE}, longer than the gateway's longest call.
 */
final class IssuedTokens {

    static final Duration MAX_AGE = Duration.ofHours(1);
    private static final int SWEEP_ABOVE = 256;

    /** @param channelId the channel @param token the token sent @param at when */
    record Issue(long channelId, String token, Instant at) {
        @Override
        public String toString() {
            return "Issue[channel " + channelId + "]";
        }
    }

    private final ConcurrentHashMap<String, Issue> byRequest = new ConcurrentHashMap<>();
    private final Clock clock;

    IssuedTokens(Clock clock) {
        this.clock = clock;
    }

    /** @param requestId the request @param channelId its channel @param token the token it was prepared with */
    void record(String requestId, long channelId, String token) {
        Instant now = clock.instant();
        if (byRequest.size() > SWEEP_ABOVE) {
            Instant oldest = now.minus(MAX_AGE);
            byRequest.values().removeIf(i -> i.at().isBefore(oldest));
        }
        byRequest.put(requestId, new Issue(channelId, token, now));
    }

    /** @param requestId the request @return what it was prepared with, forgotten from now on */
    Optional<Issue> take(String requestId) {
        return Optional.ofNullable(byRequest.remove(requestId));
    }

    /** @return the number of entries */
    int size() {
        return byRequest.size();
    }
}
