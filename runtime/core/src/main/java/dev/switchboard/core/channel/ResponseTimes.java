package dev.switchboard.core.channel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each channel's response time as a moving average (exponentially weighted), fed by real traffic and by channel
 * tests. Kept in memory and updated without locks; the channel registry writes the changed ones to the store in
 * batches, off the relay's path.
 */
final class ResponseTimes {

    /** Weight of the newest sample. */
    static final double ALPHA = 0.2;

    private final Map<Long, AtomicLong> averages = new ConcurrentHashMap<>();
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();

    /**
     * @param channelId the channel
     * @param stored the average last stored, 0 for none (the first sample then stands alone)
     * @param millis the new sample
     */
    void observe(long channelId, long stored, long millis) {
        AtomicLong bits = averages.computeIfAbsent(channelId, id -> new AtomicLong(Double.doubleToRawLongBits(
                stored > 0 ? stored : Double.NaN)));
        while (true) {
            long old = bits.get();
            double avg = Double.longBitsToDouble(old);
            double next = Double.isNaN(avg) ? millis : avg + ALPHA * (millis - avg);
            if (bits.compareAndSet(old, Double.doubleToRawLongBits(next))) {
                break;
            }
        }
        changed.add(channelId);
    }

    /**
     * @param channelId the channel
     * @param stored what the store holds
     * @return the current average, or {@code stored} when nothing was observed since start
     */
    long current(long channelId, long stored) {
        AtomicLong bits = averages.get(channelId);
        if (bits == null) {
            return stored;
        }
        double avg = Double.longBitsToDouble(bits.get());
        return Double.isNaN(avg) ? stored : Math.round(avg);
    }

    /**
     * Takes the channels whose average changed since the last call.
     *
     * @return their ids
     */
    Set<Long> drainChanged() {
        Set<Long> out = new java.util.HashSet<>();
        for (var it = changed.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    void forget(long channelId) {
        averages.remove(channelId);
        changed.remove(channelId);
    }
}
