package dev.switchboard.core.ratelimit;

import dev.switchboard.core.store.RateWindows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exchanges this node's rate-limit counts with the other nodes' through the database, run every few hundred
 * milliseconds: this node writes what it counted per token in the current and the previous minute, and takes what
 * the others counted, which its windows add to their own. A token's limit so holds across nodes up to what the
 * others admitted since the last exchange (a small part of a minute's traffic).
 */
public final class SharedCounts implements Runnable {

    private static final long[] NOTHING = new long[4];

    private final RateLimits limits;
    private final RateWindows windows;

    /** @param limits this node's limits ({@link RateLimits#shared}) @param windows the shared counts */
    public SharedCounts(RateLimits limits, RateWindows windows) {
        this.limits = limits;
        this.windows = windows;
    }

    @Override
    public void run() {
        long now = limits.now();
        long index = Math.floorDiv(now, limits.windowNanos());
        List<RateWindows.Count> mine = new ArrayList<>();
        limits.counters().forEach((id, c) -> {
            long[] r = c.requests.own(now);
            long[] t = c.tokens.own(now);
            if (r[1] != 0 || t[1] != 0) {
                mine.add(new RateWindows.Count(id, index - 1, r[1], t[1]));
            }
            if (r[2] != 0 || t[2] != 0) {
                mine.add(new RateWindows.Count(id, index, r[2], t[2]));
            }
        });
        // token id to the others' requests (previous, current) and tokens (previous, current)
        Map<Long, long[]> others = new HashMap<>();
        for (RateWindows.Count o : windows.exchange(mine, index - 1)) {
            long[] sums = others.computeIfAbsent(o.tokenId(), id -> new long[4]);
            int at = o.window() == index ? 1 : o.window() == index - 1 ? 0 : -1;
            if (at >= 0) {
                sums[at] = o.requests();
                sums[2 + at] = o.tokens();
            }
        }
        others.keySet().forEach(limits::counters);
        limits.counters().forEach((id, c) -> {
            long[] o = others.getOrDefault(id, NOTHING);
            c.requests.othersCounted(index, o[0], o[1]);
            c.tokens.othersCounted(index, o[2], o[3]);
        });
    }
}
