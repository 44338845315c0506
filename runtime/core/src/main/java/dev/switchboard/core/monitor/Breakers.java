package dev.switchboard.core.monitor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers: one per channel and one per channel and model. A call may go to a channel only when
 * both let it through, and every call counts in both (so a channel serving one model has two breakers that agree).
 * Breakers never change a channel's status: they only make routing skip it for a while. Lookups are concurrent
 * map reads; a model breaker is created on the model's first call, up to a bound per channel (clients may send
 * any name a pattern such as {@code qwen-*} matches), and dropped again by {@link #sweep()} once idle.
 */
public final class Breakers {

    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);
    static final int MAX_MODELS_PER_CHANNEL = 1000;

    private final BreakerSettings settings;
    private final LongSupplier clock;
    private final Map<Long, ChannelBreakers> channels = new ConcurrentHashMap<>();

    /** @param settings thresholds and times */
    public Breakers(BreakerSettings settings) {
        this(settings, System::nanoTime);
    }

    Breakers(BreakerSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** @return breakers that never open */
    public static Breakers off() {
        return new Breakers(BreakerSettings.OFF);
    }

    private static final class ChannelBreakers {
        final CircuitBreaker channel;
        final Map<String, CircuitBreaker> models = new ConcurrentHashMap<>();

        ChannelBreakers(BreakerSettings s) {
            channel = new CircuitBreaker(s);
        }
    }

    /**
     * For routing: whether a channel is skipped for a model now. Never changes a breaker.
     *
     * @param channelId the channel
     * @param model the model asked for
     * @return {@code null} when a call could go through, else why not
     */
    public String blocked(long channelId, String model) {
        if (!settings.enabled()) {
            return null;
        }
        ChannelBreakers b = channels.get(channelId);
        if (b == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (!b.channel.passable(now)) {
            return why("channel " + channelId, b.channel, now);
        }
        CircuitBreaker m = b.models.get(model);
        if (m != null && !m.passable(now)) {
            return why("channel " + channelId + " for model " + model, m, now);
        }
        return null;
    }

    private static String why(String what, CircuitBreaker b, long now) {
        CircuitBreaker.State s = b.state();
        return "the circuit breaker of " + what + " is open" + (s.why() == null ? "" : " (" + s.why() + ")")
                + (s.kind() == CircuitBreaker.Kind.PROBING ? "; a probe is in flight"
                : "; next probe in " + b.secondsToProbe(now) + " s");
    }

    /**
     * Asks to send a call. A probe granted here must be reported to {@link #record} with the same permit.
     *
     * @param channelId the channel
     * @param model the model asked for
     * @return the permit
     */
    public Permit admit(long channelId, String model) {
        if (!settings.enabled()) {
            return Permit.PASS;
        }
        long now = clock.getAsLong();
        ChannelBreakers b = channels.computeIfAbsent(channelId, id -> new ChannelBreakers(settings));
        int ch = b.channel.admit(now);
        if (ch == 0) {
            return Permit.DENY;
        }
        CircuitBreaker m = b.models.get(model);
        if (m == null && b.models.size() < MAX_MODELS_PER_CHANNEL) {
            m = b.models.computeIfAbsent(model, k -> new CircuitBreaker(settings));
        }
        int mo = m == null ? 1 : m.admit(now);
        if (mo == 0) {
            if (ch == 2) {
                b.channel.record(now, true, 0, null);
            }
            return Permit.DENY;
        }
        return ch == 2 && mo == 2 ? Permit.PROBE_BOTH : ch == 2 ? Permit.PROBE_CHANNEL
                : mo == 2 ? Permit.PROBE_MODEL : Permit.PASS;
    }

    /**
     * Reports how a call ended (once per call; {@link CallResult#BROKEN} may follow a success).
     *
     * @param channelId the channel
     * @param model the model asked for
     * @param permit what {@link #admit} granted
     * @param result how it ended
     */
    public void record(long channelId, String model, Permit permit, CallResult result) {
        if (!settings.enabled() || permit == Permit.DENY) {
            return;
        }
        long now = clock.getAsLong();
        ChannelBreakers b = channels.computeIfAbsent(channelId, id -> new ChannelBreakers(settings));
        Boolean error = switch (result) {
            case SUCCESS -> Boolean.FALSE;
            case FAILURE, BROKEN, MODEL_FAILURE -> Boolean.TRUE;
            case NONE -> null;
        };
        int requests = result == CallResult.BROKEN ? 0 : 1;
        boolean probe = result != CallResult.BROKEN;
        CircuitBreaker.State changed = null;
        if (result != CallResult.MODEL_FAILURE) {
            changed = b.channel.record(now, probe && permit.probesChannel(), requests, error);
        } else if (permit.probesChannel()) {
            // The channel answered, only not for this model: its own probe succeeded.
            changed = b.channel.record(now, true, 1, Boolean.FALSE);
        }
        report("channel " + channelId, changed);
        if (changed != null && changed.kind() == CircuitBreaker.Kind.CLOSED) {
            // The channel is back: its models start afresh too, rather than on the errors that opened it.
            b.models.values().forEach(CircuitBreaker::clearIfClosed);
        }
        CircuitBreaker m = b.models.get(model);
        if (m == null && Boolean.TRUE.equals(error) && b.models.size() < MAX_MODELS_PER_CHANNEL) {
            m = b.models.computeIfAbsent(model, k -> new CircuitBreaker(settings));
        }
        if (m != null) {
            report("channel " + channelId + " for model " + model,
                    m.record(now, probe && permit.probesModel(), requests, error));
        }
    }

    private void report(String what, CircuitBreaker.State changed) {
        if (changed == null) {
            return;
        }
        if (changed.kind() == CircuitBreaker.Kind.OPEN) {
            LOG.warn("circuit breaker of {} opened: {}; skipped for {}", what, changed.why(), text(settings.openFor()));
        } else {
            LOG.info("circuit breaker of {} closed: the probe succeeded", what);
        }
    }

    /**
     * Closes a channel's breakers (a test of the channel succeeded).
     *
     * @param channelId the channel
     */
    public void reset(long channelId) {
        channels.remove(channelId);
    }

    /**
     * For metrics: the state of each channel's breaker and how many of its model breakers are not closed.
     *
     * @param visitor gets the channel id, its breaker's state ({@code closed}, {@code open} or {@code probing})
     *     and the number of its model breakers that are open or probing
     */
    public void states(StateVisitor visitor) {
        channels.forEach((id, b) -> visitor.visit(id, b.channel.state().kind().name().toLowerCase(java.util.Locale.ROOT),
                (int) b.models.values().stream().filter(m -> m.state().kind() != CircuitBreaker.Kind.CLOSED).count()));
    }

    /** What {@link #states(StateVisitor)} reports, one call per channel with breakers. */
    @FunctionalInterface
    public interface StateVisitor {
        /**
         * @param channelId the channel
         * @param state its breaker's state
         * @param modelsNotClosed how many of its model breakers are open or probing
         */
        void visit(long channelId, String state, int modelsNotClosed);
    }

    /** Drops model breakers that are closed and have counted nothing within their window. */
    public void sweep() {
        long now = clock.getAsLong();
        channels.values().forEach(b -> b.models.values().removeIf(m -> m.idle(now)));
    }

    /** @param d a duration @return it as the logs and messages show it, e.g. {@code 60 s} or {@code 500 ms} */
    static String text(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
