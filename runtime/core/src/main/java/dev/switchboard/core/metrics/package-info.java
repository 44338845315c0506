/**
 * Metrics: {@code GET /metrics} in the Prometheus text format, made with the Prometheus Java client (embedded in
 * the core bundle). Requests are recorded from their settled log entries on the usage thread, never on the relay's
 * threads; only the open-streams gauge is touched there (one atomic update). Labels are bounded: channel ids,
 * statuses, and model names up to {@link dev.switchboard.core.metrics.ModelLabels#MAX} distinct ones.
 * May depend on relay, monitor, store and admin; nothing depends on it but the composition root.
 */
package dev.switchboard.core.metrics;
