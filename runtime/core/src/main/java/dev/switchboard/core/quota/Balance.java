package dev.switchboard.core.quota;

/**
 * What a token or a user has to spend on this node, guarded by the owner's lock in {@link Ledger}. With one node it
 * is the whole balance; with several it is the slice this node leased from the shared pool ({@link Leases}).
 */
class Balance {
    static final long UNKNOWN = Long.MIN_VALUE;

    /** what may still be taken: the whole balance, or the unspent part of this node's slice (negative: a debt) */
    long remain;
    /** pre-consumed by requests in flight */
    long held;
    /** spent (whole: in total; leased: on this node since it started) */
    long used;
    /** {@link #used} as last handed to the write-behind (leased: the increments written are the differences) */
    long usedWritten;
    boolean unlimited;
    /** the last slice leased: the next is leased ahead once less than half of it is left */
    long lastSlice;
    /** a lease ahead of need is on its way */
    boolean leasing;
    /** leased: what the shared pool held at the last lease or give-back of this node, {@link #UNKNOWN} before */
    long pool = UNKNOWN;
    /** when a request last reserved from it ({@link System#nanoTime()}) */
    long lastUse;
}
