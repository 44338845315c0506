package dev.switchboard.core.metrics;

import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.relay.RelayMeter;
import dev.switchboard.core.store.LogRecord;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The gateway's metrics: the relay's (see {@link RelayMetrics}), the circuit breakers' states, and the JVM's basics
 * (memory, GC, threads, CPU). Each instance has its own registry, so a restarted core starts from zero and no
 * static state outlives the bundle.
 */
public final class GatewayMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final RelayMetrics relay;

    /** @param breakers the circuit breakers whose states are shown */
    public GatewayMetrics(Breakers breakers) {
        relay = new RelayMetrics(registry);
        GaugeWithCallback.builder().name("switchboard_breaker_state")
                .help("1 for the state each channel's circuit breaker is in (closed, open, probing)")
                .labelNames("channel", "state")
                .callback(cb -> breakers.states((id, state, models) -> cb.call(1, Long.toString(id), state)))
                .register(registry);
        GaugeWithCallback.builder().name("switchboard_model_breakers_not_closed")
                .help("Per channel, how many of its per-model circuit breakers are open or probing")
                .labelNames("channel")
                .callback(cb -> breakers.states((id, state, models) -> cb.call(models, Long.toString(id))))
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** @return where settled request log entries go (called on the usage thread) */
    public Consumer<LogRecord> settled() {
        return relay;
    }

    /** @return what the relay counts itself: open streams, requests refused before their token was known */
    public RelayMeter meter() {
        return relay;
    }

    /** @return the content type of {@link #scrape()} */
    public String contentType() {
        return writer.getContentType();
    }

    /** @return every metric now, in the Prometheus text format */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
