package dev.switchboard.core.store;

/**
 * Per-token request budgets of wall-clock minutes shared by the nodes of one database: each node leases slices of a
 * token's requests per minute, admits from them in memory and leases again, so the nodes together never admit more
 * than the limit. Like {@link QuotaPool}, one atomic statement per lease.
 */
public interface RateBudget {

    /**
     * Leases a slice of a token's requests in one minute: {@code size}, but at most a quarter of what is left (at
     * least one), and nothing once the nodes together took {@code limit}.
     *
     * @param tokenId the token
     * @param window the minute's number (wall-clock minutes since the epoch)
     * @param limit the token's requests per minute
     * @param size the usual slice
     * @return the slice taken (0: the minute's budget is spent) and what all nodes took of the minute with it
     */
    Grant leaseRequests(long tokenId, long window, long limit, long size);

    /** @param slice requests this node may admit @param taken what all nodes took of the minute, the slice included */
    record Grant(long slice, long taken) {
    }
}
