package dev.switchboard.core.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands items from request threads to one consumer thread (the request log's, the usage recorder's) without a
 * wake-up per item. A blocking queue wakes its sleeping consumer on every item: at a few thousand requests a
 * second that is a thread switch per request per consumer, more CPU than the request itself spends in the
 * gateway. Here the consumer, while items come, looks every {@link #BATCH_NANOS} and takes what gathered; only
 * after {@link #IDLE_NANOS} without items does it sleep until the next one (so an idle gateway does not wake).
 * An item waits at most about {@link #BATCH_NANOS} longer than with a blocking queue.
 *
 * @param <T> the item type
 */
public final class Handoff<T> {

    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    /** The consumer while it sleeps until the next item, else null. */
    private volatile Thread sleeper;
    private long lastItemNanos = System.nanoTime();

    /** @param item what to hand over; never blocks */
    public void add(T item) {
        items.add(item);
        Thread s = sleeper;
        if (s != null) {
            LockSupport.unpark(s);
        }
    }

    /** Wakes the consumer now (to stop it). */
    public void wake() {
        Thread s = sleeper;
        if (s != null) {
            LockSupport.unpark(s);
        }
    }

    /** @return whether no item waits */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Takes what waits, waiting for items up to {@code maxWaitNanos}; only the one consumer thread calls it.
     *
     * @param maxWaitNanos the longest wait when nothing comes
     * @return the items in the order added, empty when none came in time (or the thread was interrupted)
     */
    public List<T> take(long maxWaitNanos) {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            List<T> taken = drain();
            long now = System.nanoTime();
            if (!taken.isEmpty()) {
                lastItemNanos = now;
                return taken;
            }
            long left = deadline - now;
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return taken;
            }
            if (now - lastItemNanos < IDLE_NANOS) {
                LockSupport.parkNanos(this, Math.min(left, BATCH_NANOS));
                continue;
            }
            sleeper = Thread.currentThread();
            try {
                // An item added before the sleeper was set was not signalled: look once more before sleeping.
                if (items.isEmpty()) {
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                sleeper = null;
            }
        }
    }

    private List<T> drain() {
        T first = items.poll();
        if (first == null) {
            return List.of();
        }
        List<T> taken = new ArrayList<>();
        taken.add(first);
        for (T next; (next = items.poll()) != null; ) {
            taken.add(next);
        }
        return taken;
    }
}
