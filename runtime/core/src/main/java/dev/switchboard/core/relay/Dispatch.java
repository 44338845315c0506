package dev.switchboard.core.relay;

import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.store.ChannelRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The attempts of one request: the candidates in order, and what a failure before the first byte to the client
 * leads to. A re-authentication the adapter asked for is re-sent once on the same channel; a failure that is the
 * channel's (retryable) moves on to the next candidate, never the same channel twice, within the attempt limit
 * and the request's time budget; the caller's own errors end the request at once. A channel whose key or account
 * the vendor refused is disabled. Each call's end is told to the channel's circuit breakers, and each call is
 * kept for the request log.
 *
 * <p>Not thread-safe, and needs not be: one call of the request runs at a time, and the next is started by the
 * end of the one before.
 */
final class Dispatch {

    private final List<Candidate> candidates;
    private final String model;
    private final boolean pinned;
    private final long deadline;
    private final Consumer<Candidate> launch;
    private final RelayContext ctx;
    private final List<String> failures = new ArrayList<>();
    private final List<Tried> tried = new ArrayList<>(2);
    private final Set<String> skipped = new LinkedHashSet<>();
    private int next;
    private int calls;
    private boolean refreshed;
    private boolean allTimeouts = true;
    private Candidate current;
    private Permit permit;
    private long callStart;
    private boolean open;
    private boolean answered;

    /**
     * @param candidates the channels in the order to try
     * @param model the model the client asked for (what breakers are kept by)
     * @param startNanos when the request arrived; its attempts must start their answer within
     *     {@link RelayLimits#maxTime()} of it
     * @param ctx what exchanges share
     * @param launch starts one call on a channel
     */
    Dispatch(List<Candidate> candidates, String model, long startNanos, RelayContext ctx, Consumer<Candidate> launch) {
        this(candidates, model, false, startNanos, ctx, launch);
    }

    /**
     * @param candidates the channels in the order to try
     * @param model the model the client asked for (what breakers are kept by)
     * @param pinned whether the caller pinned the channel: it goes whatever its breakers say
     * @param startNanos when the request arrived
     * @param ctx what exchanges share
     * @param launch starts one call on a channel
     */
    Dispatch(List<Candidate> candidates, String model, boolean pinned, long startNanos, RelayContext ctx,
            Consumer<Candidate> launch) {
        this.candidates = candidates;
        this.model = model;
        this.pinned = pinned;
        this.deadline = startNanos + ctx.limits().maxTime().toNanos();
        this.ctx = ctx;
        this.launch = launch;
    }

    /**
     * Starts the first attempt.
     *
     * @throws RelayError when the circuit breakers refuse every candidate
     */
    void start() {
        RelayError none = launchNext(null);
        if (none != null) {
            throw none;
        }
    }

    /** @return how many upstream calls were started */
    int attempts() {
        return calls;
    }

    /** @return the calls made so far, for the request log */
    List<Tried> tried() {
        return List.copyOf(tried);
    }

    /** @return the clock value (nanoseconds) by which an answer must have started */
    long deadline() {
        return deadline;
    }

    /**
     * The current call's upstream answered with success: its answer is on its way to the client.
     *
     * @param candidate the channel
     * @param firstByteMs time from sending the call to the upstream's first byte
     */
    void answered(Candidate candidate, long firstByteMs) {
        if (candidate != current || !open || answered) {
            return;
        }
        answered = true;
        ctx.health().record(candidate.channel().id(), model, permit, CallResult.SUCCESS);
        ctx.health().responseTime(candidate.channel().id(), firstByteMs);
    }

    /**
     * The current call ended after its answer started, or the request ended with it: closes its log entry.
     *
     * @param candidate the channel
     * @param upstreamStatus the upstream's status, 0 for none
     * @param error why it failed, or {@code null}
     * @param clientGone whether the client left
     */
    void finished(Candidate candidate, int upstreamStatus, String error, boolean clientGone) {
        if (candidate != current || !open) {
            return;
        }
        open = false;
        tried.add(new Tried(candidate.channel().id(), upstreamStatus, elapsedMs(), error));
        CallResult result = clientGone ? (answered ? null : CallResult.NONE)
                : answered ? (error == null ? null : CallResult.BROKEN)
                : error == null ? CallResult.SUCCESS : CallResult.FAILURE;
        if (result != null) {
            ctx.health().record(candidate.channel().id(), model, permit, result);
        }
    }

    /** As {@link #failed(Candidate, RelayError, UpstreamError, boolean, int)} without an upstream status. */
    RelayError failed(Candidate candidate, RelayError error, UpstreamError verdict, boolean timedOut) {
        return failed(candidate, error, verdict, timedOut, 0);
    }

    /**
     * Decides what a failure before the first byte leads to.
     *
     * @param candidate the channel that failed
     * @param error the error the client would get from this attempt alone
     * @param verdict the adapter's verdict, or {@code null} for a failure without answer (refused, timed out)
     * @param timedOut whether the upstream timed out
     * @param upstreamStatus the upstream's HTTP status, 0 when it gave none
     * @return {@code null} when another attempt was started, else the error to answer with
     */
    RelayError failed(Candidate candidate, RelayError error, UpstreamError verdict, boolean timedOut,
            int upstreamStatus) {
        long channelId = candidate.channel().id();
        if (candidate == current && open) {
            open = false;
            tried.add(new Tried(channelId, upstreamStatus, elapsedMs(), error.getMessage()));
        }
        if (verdict != null && verdict.disableChannel()) {
            disable(candidate.channel(), error.getMessage());
        }
        if (verdict != null && verdict.refreshAndRetry() && !refreshed) {
            refreshed = true;
            begin(candidate, permit);
            return null;
        }
        boolean channelsFault = verdict != null ? verdict.retryable() : true;
        ctx.health().record(channelId, model, permit, answered ? CallResult.BROKEN
                : !channelsFault ? CallResult.SUCCESS
                : verdict != null && "model_not_found".equals(verdict.code()) ? CallResult.MODEL_FAILURE
                : CallResult.FAILURE);
        boolean retryable = verdict != null ? verdict.retryable() : !timedOut || ctx.limits().retryOnTimeout();
        String message = error.getMessage();
        // The summary names each channel tried, whatever the vendor's message says.
        failures.add(message.startsWith("[channel ") ? message : "[channel " + channelId + "] " + message);
        allTimeouts &= timedOut;
        if (!retryable) {
            return failures.size() == 1 ? error : summary(error, error.status(), error.code(), null);
        }
        if (System.nanoTime() - deadline >= 0) {
            return finalError(error, "gave up after " + Exchange.text(ctx.limits().maxTime()) + " (retry.max_time)");
        }
        return launchNext(error);
    }

    /**
     * Starts the next candidate the breakers let through.
     *
     * @param last the error of the attempt before, or {@code null} for the first
     * @return {@code null} when a call was started, else the error to answer with
     */
    private RelayError launchNext(RelayError last) {
        while (next < candidates.size() && failures.size() < ctx.limits().maxAttempts()) {
            Candidate c = candidates.get(next++);
            long id = c.channel().id();
            Permit p = pinned ? Permit.PASS : ctx.health().admit(id, model);
            if (p == Permit.DENY) {
                skipped.add(ctx.health().blocked(id, model));
                continue;
            }
            begin(c, p);
            return null;
        }
        if (last == null) {
            return RelayError.typed(503, "server_error", "no_available_channel", "no available channel for model "
                    + model + ": " + String.join("; ", skipped));
        }
        return finalError(last, skipped.isEmpty() ? null : "skipped: " + String.join("; ", skipped));
    }

    private void begin(Candidate c, Permit p) {
        current = c;
        permit = p;
        open = true;
        answered = false;
        callStart = System.nanoTime();
        calls++;
        launch.accept(c);
    }

    private RelayError finalError(RelayError last, String note) {
        if (failures.size() == 1 && note == null) {
            return last;
        }
        if (last.status() == 429) {
            return summary(last, 429, "upstream_rate_limited", note);
        }
        if ("model_not_found".equals(last.code())) {
            return summary(last, 404, "model_not_found", note);
        }
        return allTimeouts ? summary(last, 504, "upstream_timeout", note)
                : summary(last, 502, "upstream_error", note);
    }

    private RelayError summary(RelayError last, int status, String code, String note) {
        String type = status == 429 ? "rate_limit_exceeded" : status >= 500 ? "upstream_error"
                : "invalid_request_error";
        String head = failures.size() == 1 ? "1 attempt failed" : "all " + failures.size() + " attempts failed";
        return last.withStatus(status, type, code, head + (note == null ? "" : " (" + note + ")") + ": "
                + String.join("; ", failures));
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStart);
    }

    private void disable(ChannelRecord channel, String reason) {
        // Before the answer: whoever sees the vendor's refusal (a client, an operator's script) finds the channel
        // already disabled. This is the failure path of a refused key, not the relay's hot path; the commit is a
        // few milliseconds, and once the channel is disabled later calls return at once.
        ctx.health().autoDisable(channel.id(), reason);
    }
}
