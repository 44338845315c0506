package dev.switchboard.core.relay;

import dev.switchboard.core.routing.Candidate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a plugin's code holds the thread that runs it. The relay calls plugins on the network threads that read
 * requests and answers, and each of those serves many connections: the plugin guide asks plugins never to block
 * there, but the core cannot stop one that does. It can say so: a call that holds its thread longer than
 * {@link #SLOW} (a blocking lookup, a lock, a sleep) is counted ({@code switchboard_plugin_slow_calls_total}) and
 * logged, at most once a minute per plugin and method, naming the plugin, so its operator knows whom to ask.
 */
public final class PluginClock {

    /** Longer than any translation should take, and than the usual GC pause, so a warning means a blocked thread. */
    public static final Duration SLOW = Duration.ofMillis(20);
    private static final long SLOW_NANOS = SLOW.toNanos();
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(PluginClock.class);

    private final RelayMeter meter;
    private final Consumer<String> warn;
    private final LongSupplier nanos;
    private final Map<String, Long> warned = new ConcurrentHashMap<>();

    /** @param meter counts the slow calls */
    public PluginClock(RelayMeter meter) {
        this(meter, LOG::warn, System::nanoTime);
    }

    PluginClock(RelayMeter meter, Consumer<String> warn, LongSupplier nanos) {
        this.meter = meter;
        this.warn = warn;
        this.nanos = nanos;
    }

    /** @return the time a plugin call starts, for {@link #took} */
    long start() {
        return nanos.getAsLong();
    }

    /**
     * @param c the channel whose plugin was called
     * @param method the contract method, e.g. {@code prepare}
     * @param startNanos what {@link #start()} said before the call
     */
    void took(Candidate c, String method, long startNanos) {
        long now = nanos.getAsLong();
        long took = now - startNanos;
        if (took < SLOW_NANOS) {
            return;
        }
        String plugin = c.adapter().plugin();
        meter.slowPluginCall(plugin, method);
        boolean[] first = {false};
        warned.compute(plugin + ' ' + method, (k, last) -> {
            first[0] = last == null || now - last >= WARN_EVERY_NANOS;
            return first[0] ? now : last;
        });
        if (first[0]) {
            warn.accept("the plugin " + plugin + " held a network thread for " + TimeUnit.NANOSECONDS.toMillis(took)
                    + " ms in " + method + " (channel " + c.channel().id() + "): every connection of that thread "
                    + "waited. A plugin must not block in the contract's methods (docs/plugin-guide.md); "
                    + "switchboard_plugin_slow_calls_total counts these, this warning repeats at most once a minute");
        }
    }
}
