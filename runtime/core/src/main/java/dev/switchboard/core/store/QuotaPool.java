package dev.switchboard.core.store;

/**
 * The shared side of quotas when several nodes serve one database: a token's and a user's remaining quota is a pool
 * in the database, from which each node leases slices, spends them in memory and gives back what is left. Every
 * call is one atomic statement, so nodes together never take more than the pool holds.
 */
public interface QuotaPool {

    /** Whose quota. */
    enum Kind {
        /** a token's remaining quota */
        TOKEN("tokens", "remain_quota", "token_quota"),
        /** a user's quota */
        USER("users", "quota", "user_quota");

        final String table;
        final String column;
        /** the change-feed table a quota an admin set is announced under */
        public final String feed;

        Kind(String table, String column, String feed) {
            this.table = table;
            this.column = column;
            this.feed = feed;
        }
    }

    /**
     * Leases a slice: nothing when the pool holds less than {@code need}; else {@code need}, or more, up to
     * {@code size} but at most a quarter of the pool, so slices shrink as the pool runs out.
     *
     * @param kind token or user
     * @param id its id
     * @param need what must be had at least (0 to lease ahead)
     * @param size the usual slice
     * @return the slice taken (0 when the pool could not cover {@code need}, or the record is gone) and what is left
     */
    Lease lease(Kind kind, long id, long need, long size);

    /** @param slice what a node leased @param left what the pool holds after it */
    record Lease(long slice, long left) {
    }

    /**
     * Gives back an unspent slice (or, when negative, pays a debt: what requests in flight cost after an admin reset
     * the pool).
     *
     * @param kind token or user
     * @param id its id
     * @param amount micro-units
     */
    void giveBack(Kind kind, long id, long amount);

    /**
     * Sets the pool (an admin's quota change) and tells the other nodes to drop their slices.
     *
     * @param kind token or user
     * @param id its id
     * @param amount the new pool
     */
    void setPool(Kind kind, long id, long amount);
}
