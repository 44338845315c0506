package dev.switchboard.core.relay;

import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.store.ChannelRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The attempts of one request: the candidates in order, and what a failure before the first byte to the client
 * leads to. A re-authentication the adapter asked for is re-sent once on the same channel; a failure that is the
 * channel's (retryable) moves on to the next candidate, never the same channel twice, within the attempt limit;
 * the caller's own errors end the request at once. A channel whose key or account the vendor refused is
 * disabled.
 */
final class Dispatch {

    private final List<Candidate> candidates;
    private final Consumer<Candidate> launch;
    private final RelayContext ctx;
    private final List<String> failures = new ArrayList<>();
    private int next;
    private boolean refreshed;
    private boolean allTimeouts = true;
    private final List<AttemptInfo> trail = new ArrayList<>();
    private Candidate current;
    private long currentStartNanos;

    Dispatch(List<Candidate> candidates, RelayContext ctx, Consumer<Candidate> launch) {
        this.candidates = candidates;
        this.ctx = ctx;
        this.launch = c -> {
            current = c;
            currentStartNanos = System.nanoTime();
            launch.accept(c);
        };
    }

    /**
     * @param status the status the client got
     * @param error the request's error, or {@code null}
     * @return every attempt: the failed ones, then the one that answered (if it did not fail before its first byte)
     */
    List<AttemptInfo> trail(int status, String error) {
        List<AttemptInfo> all = new ArrayList<>(trail);
        if (current != null) {
            all.add(new AttemptInfo(current.channel().id(), status, sinceStart(), error));
        }
        return all;
    }

    private long sinceStart() {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - currentStartNanos);
    }

    /** Starts the first attempt. */
    void start() {
        launch.accept(candidates.get(next++));
    }

    /** @return how many upstream calls were started */
    int attempts() {
        return next + (refreshed ? 1 : 0);
    }

    /**
     * Decides what a failure before the first byte leads to.
     *
     * @param candidate the channel that failed
     * @param error the error the client would get from this attempt alone
     * @param verdict the adapter's verdict, or {@code null} for a failure without answer (refused, timed out)
     * @param timedOut whether the upstream timed out
     * @return {@code null} when another attempt was started, else the error to answer with
     */
    RelayError failed(Candidate candidate, RelayError error, UpstreamError verdict, boolean timedOut) {
        trail.add(new AttemptInfo(candidate.channel().id(), error.status(), sinceStart(), error.getMessage()));
        current = null;
        if (verdict != null && verdict.disableChannel()) {
            disable(candidate.channel(), error.getMessage());
        }
        if (verdict != null && verdict.refreshAndRetry() && !refreshed) {
            refreshed = true;
            launch.accept(candidate);
            return null;
        }
        boolean retryable = verdict != null ? verdict.retryable() : !timedOut || ctx.limits().retryOnTimeout();
        failures.add(error.getMessage());
        allTimeouts &= timedOut;
        if (!retryable) {
            return failures.size() == 1 ? error : summary(error, error.status(), error.code());
        }
        if (next < candidates.size() && next < ctx.limits().maxAttempts()) {
            launch.accept(candidates.get(next++));
            return null;
        }
        if (failures.size() == 1) {
            return error;
        }
        if (error.status() == 429) {
            return summary(error, 429, "upstream_rate_limited");
        }
        if ("model_not_found".equals(error.code())) {
            return summary(error, 404, "model_not_found");
        }
        return allTimeouts ? summary(error, 504, "upstream_timeout") : summary(error, 502, "upstream_error");
    }

    private RelayError summary(RelayError last, int status, String code) {
        String type = status == 429 ? "rate_limit_exceeded" : status >= 500 ? "upstream_error"
                : "invalid_request_error";
        return last.withStatus(status, type, code, "all " + failures.size() + " attempts failed: "
                + String.join("; ", failures));
    }

    private void disable(ChannelRecord channel, String reason) {
        // Off the request's thread: a store commit, however short, has no place on the hot path.
        ctx.scheduler().execute(() -> ctx.health().autoDisable(channel.id(), reason));
    }
}
