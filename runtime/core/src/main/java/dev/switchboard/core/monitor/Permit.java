package dev.switchboard.core.monitor;

/** What the breakers said to one call: refused, let through, or let through as the probe of one or both. */
public enum Permit {
    /** Refused: a breaker is open, or another call is its probe. */
    DENY,
    /** Let through: the breakers are closed. */
    PASS,
    /** The probe of the channel's breaker. */
    PROBE_CHANNEL,
    /** The probe of the channel and model breaker. */
    PROBE_MODEL,
    /** The probe of both. */
    PROBE_BOTH;

    boolean probesChannel() {
        return this == PROBE_CHANNEL || this == PROBE_BOTH;
    }

    boolean probesModel() {
        return this == PROBE_MODEL || this == PROBE_BOTH;
    }
}
