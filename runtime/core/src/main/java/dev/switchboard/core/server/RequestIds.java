package dev.switchboard.core.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: a random per-process prefix and a counter, so ids are unique, cheap and sortable within a run.
 * Not secrets.
 */
final class RequestIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    RequestIds() {
        prefix = "req_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36) + "_";
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
