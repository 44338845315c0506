package dev.switchboard.core.quota;

import dev.switchboard.core.store.QuotaPool;
import dev.switchboard.core.store.StoreException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's slices of shared quota pools (several nodes on one PostgreSQL): a slice is leased when a request
 * finds it short (the one database round trip on the request path, and only then), leased again ahead of need
 * once less than half of the last slice is left, and given back when idle and at the stop. A slice holds at most a quarter of
 * what the pool has left, so a nearly spent pool is handed out in ever smaller pieces and a request is refused only
 * when the pool and this node's slice together cannot cover it.
 */
final class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final QuotaPool pool;
    private final long size;
    private final Executor ahead;

    /**
     * @param pool the shared pools
     * @param size the usual slice, micro-units
     * @param ahead runs leases ahead of need, off the request path
     */
    Leases(QuotaPool pool, long size, Executor ahead) {
        this.pool = pool;
        this.size = size;
        this.ahead = ahead;
    }

    /**
     * Leases what a request needs beyond the slice, and a slice more when the pool has it (caller holds no lock).
     *
     * @return whether anything was leased (a database that cannot be reached leases nothing)
     */
    boolean topUp(Object lock, Balance b, QuotaPool.Kind kind, long id, long need) {
        QuotaPool.Lease got;
        try {
            got = pool.lease(kind, id, need, size);
        } catch (StoreException e) {
            LOG.warn("leasing quota of {} {} failed: {}", kind, id, e.getMessage());
            return false;
        }
        synchronized (lock) {
            b.remain += got.slice();
            b.pool = got.left();
            b.lastSlice = got.slice();
        }
        return got.slice() > 0;
    }

    /** Called under the lock after a reservation: leases the next slice in the background when this one runs low. */
    void aheadIfLow(Object lock, Balance b, QuotaPool.Kind kind, long id) {
        if (b.unlimited || b.leasing || b.lastSlice == 0 || b.remain >= b.lastSlice / 2) {
            return;
        }
        b.leasing = true;
        ahead.execute(() -> {
            QuotaPool.Lease got = null;
            try {
                got = pool.lease(kind, id, 0, size);
            } catch (StoreException e) {
                LOG.warn("leasing quota of {} {} ahead failed: {}", kind, id, e.getMessage());
            } finally {
                synchronized (lock) {
                    if (got != null) {
                        b.remain += got.slice();
                        b.pool = got.left();
                        b.lastSlice = got.slice();
                    }
                    b.leasing = false;
                }
            }
        });
    }

    /**
     * Gives back what is left of a slice no request holds (or pays its debt). Caller holds no lock.
     *
     * @param idleSince give back only when unused since this {@link System#nanoTime()} ({@link Long#MAX_VALUE}: always)
     */
    void giveBack(Object lock, Balance b, QuotaPool.Kind kind, long id, long idleSince) {
        long amount;
        synchronized (lock) {
            if (b.remain == 0 || b.held != 0 || b.leasing || (idleSince != Long.MAX_VALUE && b.lastUse - idleSince > 0)) {
                return;
            }
            amount = b.remain;
            b.remain = 0;
        }
        try {
            pool.giveBack(kind, id, amount);
            synchronized (lock) {
                if (b.pool != Balance.UNKNOWN) {
                    b.pool += amount;
                }
            }
        } catch (StoreException e) {
            synchronized (lock) {
                b.remain += amount;
            }
            LOG.warn("giving back quota of {} {} failed (kept for the next try): {}", kind, id, e.getMessage());
        }
    }

    /** Sets a pool (an admin's quota change), and drops this node's slice. */
    void setPool(Object lock, Balance b, QuotaPool.Kind kind, long id, long amount) {
        pool.setPool(kind, id, amount);
        dropSlice(lock, b);
        synchronized (lock) {
            b.pool = amount;
        }
    }

    /**
     * Drops this node's slice after an admin set the pool: requests in flight still settle against it, so what they
     * cost becomes a debt paid back to the pool.
     */
    static void dropSlice(Object lock, Balance b) {
        synchronized (lock) {
            b.remain = -b.held;
            b.pool = Balance.UNKNOWN;
        }
    }

    /** Under the lock: what a balance shows, the pool (as last seen) plus this node's slice and holds. */
    static long shown(Balance b, long storedPool) {
        return (b.pool == Balance.UNKNOWN ? storedPool : b.pool) + b.remain + b.held;
    }
}
