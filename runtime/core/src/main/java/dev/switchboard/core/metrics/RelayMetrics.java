package dev.switchboard.core.metrics;

import dev.switchboard.core.relay.RelayMeter;
import dev.switchboard.core.store.LogRecord;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Consumer;

/**
 * What the relay did, per channel, model and status: requests, errors, time to the first byte and in total,
 * upstream attempts and failovers, tokens and cost. Fed with each request's log entry once it is settled (on the
 * usage thread), plus what the relay counts itself: the open-streams gauge, and requests refused before their
 * token was known (they get no log entry).
 */
final class RelayMetrics implements Consumer<LogRecord>, RelayMeter {

    /** Seconds; from a cache hit to a reasoning model's long think. */
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
        120, 300};
    private static final String[] LABELS = {"channel", "model", "status"};

    private final ModelLabels models = new ModelLabels();
    private final Counter requests;
    private final Counter errors;
    private final Histogram firstByte;
    private final Histogram duration;
    private final Counter attempts;
    private final Counter failovers;
    private final Counter tokens;
    private final Counter cost;
    private final Gauge openStreams;
    private final Counter slowPluginCalls;

    RelayMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("switchboard_requests_total").help("Relayed requests")
                .labelNames(LABELS).withoutExemplars().register(registry);
        errors = Counter.builder().name("switchboard_request_errors_total")
                .help("Relayed requests answered with an error status (4xx, 5xx)")
                .labelNames(LABELS).withoutExemplars().register(registry);
        firstByte = latency("switchboard_request_first_byte_seconds",
                "Time from the request's arrival to the upstream's first byte", registry);
        duration = latency("switchboard_request_duration_seconds", "Time from the request's arrival to its end",
                registry);
        attempts = Counter.builder().name("switchboard_upstream_attempts_total")
                .help("Upstream calls by channel and the status they came to (0: no answer)")
                .labelNames("channel", "status").withoutExemplars().register(registry);
        failovers = Counter.builder().name("switchboard_failovers_total")
                .help("Upstream calls that failed and were followed by a call to another channel, by failed channel")
                .labelNames("channel").withoutExemplars().register(registry);
        tokens = Counter.builder().name("switchboard_tokens_total").help("Tokens billed")
                .labelNames("channel", "model", "kind").withoutExemplars().register(registry);
        cost = Counter.builder().name("switchboard_cost_total")
                .help("Quota charged, in micro-units (the store's unit of cost)")
                .labelNames("channel", "model").withoutExemplars().register(registry);
        openStreams = Gauge.builder().name("switchboard_open_streams").help("Streams open to clients now")
                .withoutExemplars().register(registry);
        slowPluginCalls = Counter.builder().name("switchboard_plugin_slow_calls_total")
                .help("Calls into a plugin that held a network thread over 20 ms, by plugin and contract method")
                .labelNames("plugin", "method").withoutExemplars().register(registry);
    }

    private static Histogram latency(String name, String help, PrometheusRegistry registry) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).labelNames(LABELS).classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS).withoutExemplars().register(registry);
    }

    @Override
    public void accept(LogRecord r) {
        if (!LogRecord.RELAY.equals(r.type())) {
            return;
        }
        String channel = Long.toString(r.channelId());
        String model = models.of(r.model());
        String status = Integer.toString(r.status());
        requests.labelValues(channel, model, status).inc();
        if (r.status() >= 400) {
            errors.labelValues(channel, model, status).inc();
        }
        if (r.firstByteMs() >= 0) {
            firstByte.labelValues(channel, model, status).observe(r.firstByteMs() / 1000.0);
        }
        duration.labelValues(channel, model, status).observe(r.totalMs() / 1000.0);
        var tried = r.attempts();
        for (int i = 0; i < tried.size(); i++) {
            LogRecord.AttemptEntry a = tried.get(i);
            String id = Long.toString(a.channelId());
            attempts.labelValues(id, Integer.toString(a.status())).inc();
            if (i + 1 < tried.size() && tried.get(i + 1).channelId() != a.channelId()) {
                failovers.labelValues(id).inc();
            }
        }
        if (r.promptTokens() > 0) {
            tokens.labelValues(channel, model, "prompt").inc(r.promptTokens());
        }
        if (r.completionTokens() > 0) {
            tokens.labelValues(channel, model, "completion").inc(r.completionTokens());
        }
        if (r.cost() > 0) {
            cost.labelValues(channel, model).inc(r.cost());
        }
    }

    @Override
    public void opened() {
        openStreams.inc();
    }

    @Override
    public void closed() {
        openStreams.dec();
    }

    /** Channel 0 and no model, as in the request log: it never reached either. */
    @Override
    public void refusedBeforeToken(int status) {
        String s = Integer.toString(status);
        requests.labelValues("0", ModelLabels.NONE, s).inc();
        errors.labelValues("0", ModelLabels.NONE, s).inc();
    }

    @Override
    public void slowPluginCall(String plugin, String method) {
        slowPluginCalls.labelValues(plugin, method).inc();
    }
}
