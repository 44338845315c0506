package dev.switchboard.core.monitor;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests and errors over a sliding window, in buckets, without locks: each bucket is one {@code long} holding
 * its time slot (24 bits), requests (20 bits) and errors (20 bits), updated by compare-and-set. A bucket whose
 * slot is stale counts as empty and is reset by the next update that lands in it.
 */
final class ErrorWindow {

    static final int BUCKETS = 12;
    private static final long SLOT_MASK = (1L << 24) - 1;
    private static final long COUNT_MASK = (1L << 20) - 1;

    private final long bucketNanos;
    private final AtomicLongArray cells = new AtomicLongArray(BUCKETS);

    /** @param windowNanos the window's length */
    ErrorWindow(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    }

    /**
     * @param now the clock, nanoseconds
     * @param requests requests to add
     * @param errors errors to add
     */
    void add(long now, int requests, int errors) {
        long slot = Math.floorDiv(now, bucketNanos);
        int i = Math.floorMod(slot, BUCKETS);
        long tag = slot & SLOT_MASK;
        while (true) {
            long v = cells.get(i);
            boolean current = (v >>> 40) == tag;
            long r = Math.min(COUNT_MASK, (current ? (v >>> 20) & COUNT_MASK : 0) + requests);
            long e = Math.min(COUNT_MASK, (current ? v & COUNT_MASK : 0) + errors);
            if (cells.compareAndSet(i, v, tag << 40 | r << 20 | e)) {
                return;
            }
        }
    }

    /** @param now the clock, nanoseconds @return requests in the window */
    long requests(long now) {
        return sum(now, 20);
    }

    /** @param now the clock, nanoseconds @return errors in the window */
    long errors(long now) {
        return sum(now, 0);
    }

    private long sum(long now, int shift) {
        long slot = Math.floorDiv(now, bucketNanos) & SLOT_MASK;
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long v = cells.get(i);
            long age = (slot - (v >>> 40)) & SLOT_MASK;
            if (v != 0 && age < BUCKETS) {
                total += (v >>> shift) & COUNT_MASK;
            }
        }
        return total;
    }

    /** Forgets everything. */
    void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            cells.set(i, 0);
        }
    }
}
