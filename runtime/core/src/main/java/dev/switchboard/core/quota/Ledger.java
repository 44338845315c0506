package dev.switchboard.core.quota;

import dev.switchboard.core.store.QuotaPool;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UsageBatch;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.TokenBalances;
import dev.switchboard.core.user.UserBalances;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The live balances: per token (remaining, held, used) and per user (quota, held, used, requests), all in
 * micro-units, in memory. A token and its owner change together under the owner's lock (held for a few
 * arithmetic operations: no I/O, no allocation), so concurrent requests of one user serialise only there and
 * requests of different users never meet.
 *
 * <p>Pre-consumption takes the estimate from the available balance (refused when it does not cover it, so only
 * requests in flight whose real cost exceeds their estimate can overdraw) and books it as held; settlement releases
 * the hold and charges the real cost. What is written to the store is the settled balance (available plus held):
 * a crash refunds the requests in flight instead of losing their holds.
 *
 * <p>With several nodes on one database ({@link #leasing}), a balance here is this node's slice of the shared pool
 * ({@link Leases}): reservations spend the slice, the remaining quotas in the database move only by leases, and
 * what is written behind are the increments of used quota and request counts.
 */
public final class Ledger implements TokenBalances, UserBalances {

    /** A user's balance; its monitor guards it and its tokens' wallets. */
    private static final class Account extends Balance {
        long requests;
        long requestsWritten;
    }

    /** A token's balance, guarded by its owner's {@link Account}. */
    private static final class Wallet extends Balance {
        final long userId;

        Wallet(long userId) {
            this.userId = userId;
        }
    }

    private final LongFunction<UserRecord> users;
    private final LongFunction<Long> channelUsed;
    private final Leases leases;
    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();
    private final Map<Long, Wallet> wallets = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> channels = new ConcurrentHashMap<>();
    private final Set<Long> dirtyTokens = ConcurrentHashMap.newKeySet();
    private final Set<Long> dirtyUsers = ConcurrentHashMap.newKeySet();
    private final Set<Long> dirtyChannels = ConcurrentHashMap.newKeySet();

    /**
     * Every balance whole in memory (one node).
     *
     * @param users the stored user by id ({@code null} when none), read once per user
     * @param channelUsed a channel's stored used quota, read once per channel
     */
    public Ledger(LongFunction<UserRecord> users, LongFunction<Long> channelUsed) {
        this(users, channelUsed, null);
    }

    private Ledger(LongFunction<UserRecord> users, LongFunction<Long> channelUsed, Leases leases) {
        this.users = users;
        this.channelUsed = channelUsed;
        this.leases = leases;
    }

    /**
     * Balances leased in slices from pools shared with other nodes.
     *
     * @param users the stored user by id ({@code null} when none)
     * @param pool the shared pools
     * @param sliceSize the usual slice, micro-units
     * @param ahead runs leases ahead of need, off the request path
     * @return the ledger
     */
    public static Ledger leasing(LongFunction<UserRecord> users, QuotaPool pool, long sliceSize,
            java.util.concurrent.Executor ahead) {
        return new Ledger(users, id -> 0L, new Leases(pool, sliceSize, ahead));
    }

    private Account account(long userId) {
        return accounts.computeIfAbsent(userId, id -> {
            Account a = new Account();
            UserRecord u = users.apply(id);
            if (u == null) {
                a.unlimited = true;
            } else {
                a.unlimited = u.unlimitedQuota();
                if (leases == null) {
                    a.remain = u.quota();
                    a.used = u.usedQuota();
                    a.requests = u.requestCount();
                }
            }
            a.usedWritten = a.used;
            a.requestsWritten = a.requests;
            return a;
        });
    }

    private Wallet wallet(TokenRecord t) {
        return wallets.computeIfAbsent(t.id(), id -> {
            Wallet w = new Wallet(t.userId());
            w.unlimited = t.unlimitedQuota();
            if (leases == null) {
                w.remain = t.remainQuota();
                w.used = t.usedQuota();
            }
            w.usedWritten = w.used;
            return w;
        });
    }

    /**
     * Pre-consumes an estimate from a token and its owner, both or neither. When leasing, a slice that cannot cover
     * it is topped up from the shared pool first (outside the lock).
     *
     * @param token the token
     * @param amount the estimate, micro-units
     * @return whether it was taken from the token and from the user (an unlimited balance gives nothing)
     * @throws Shortfall when the token or the user cannot cover it
     */
    public boolean[] reserve(TokenRecord token, long amount) {
        Account a = account(token.userId());
        Wallet w = wallet(token);
        boolean topped = false;
        while (true) {
            long tokenShort;
            long userShort;
            synchronized (a) {
                // Short when nothing is left, or less than the estimate.
                tokenShort = w.unlimited ? 0 : Math.max(amount, 1) - w.remain;
                userShort = a.unlimited ? 0 : Math.max(amount, 1) - a.remain;
                if (tokenShort <= 0 && userShort <= 0) {
                    return take(a, w, token.id(), amount);
                }
                if (leases == null || topped) {
                    throw tokenShort > 0
                            ? new Shortfall("this token's quota is used up: " + Math.max(0, w.remain)
                                    + " micro-units left, and this request may cost up to " + amount)
                            : new Shortfall("the quota of this token's user is used up: " + Math.max(0, a.remain)
                                    + " micro-units left, and this request may cost up to " + amount);
                }
            }
            topped = true;
            if (tokenShort > 0 && !leases.topUp(a, w, QuotaPool.Kind.TOKEN, token.id(), tokenShort)) {
                continue;
            }
            if (userShort > 0) {
                leases.topUp(a, a, QuotaPool.Kind.USER, token.userId(), userShort);
            }
        }
    }

    /** Called under the owner's lock once both balances cover the amount. */
    private boolean[] take(Account a, Wallet w, long tokenId, long amount) {
        if (!w.unlimited) {
            w.remain -= amount;
            w.held += amount;
        }
        if (!a.unlimited) {
            a.remain -= amount;
            a.held += amount;
        }
        if (leases != null) {
            long now = System.nanoTime();
            w.lastUse = now;
            a.lastUse = now;
            leases.aheadIfLow(a, w, QuotaPool.Kind.TOKEN, tokenId);
            leases.aheadIfLow(a, a, QuotaPool.Kind.USER, w.userId);
        }
        return new boolean[] {!w.unlimited, !a.unlimited};
    }

    /**
     * Releases a request's hold and charges its real cost (0 refunds it whole).
     *
     * @param c the request's charge
     * @param cost what it really cost, micro-units
     */
    public void settle(Charge c, long cost) {
        Account a = account(c.userId());
        Wallet w = wallets.get(c.tokenId());
        synchronized (a) {
            if (w != null) {
                if (c.fromToken()) {
                    w.remain += c.amount();
                    w.held -= c.amount();
                }
                if (!w.unlimited) {
                    w.remain -= cost;
                }
                w.used += cost;
            }
            if (c.fromUser()) {
                a.remain += c.amount();
                a.held -= c.amount();
            }
            if (!a.unlimited) {
                a.remain -= cost;
            }
            a.used += cost;
            a.requests++;
        }
        dirtyTokens.add(c.tokenId());
        dirtyUsers.add(c.userId());
    }

    /** @param channelId a channel that served a request @param cost what it cost */
    public void channelSpent(long channelId, long cost) {
        channels.computeIfAbsent(channelId, id -> new AtomicLong(channelUsed.apply(id))).addAndGet(cost);
        dirtyChannels.add(channelId);
    }

    /**
     * Shows a token's balance: whole, or when leasing the pool as this node last saw it plus this node's slice
     * (other nodes' leases since then are not seen), and its stored used quota plus what is not written yet.
     */
    @Override
    public TokenRecord live(TokenRecord t) {
        Wallet w = wallets.get(t.id());
        if (w == null) {
            return t;
        }
        synchronized (account(w.userId)) {
            return leases == null ? t.withBalance(w.remain + w.held, w.used)
                    : t.withBalance(Leases.shown(w, t.remainQuota()), t.usedQuota() + w.used - w.usedWritten);
        }
    }

    @Override
    public void quotaChanged(TokenRecord t) {
        Account a = account(t.userId());
        Wallet w = wallet(t);
        if (leases != null) {
            synchronized (a) {
                w.unlimited = t.unlimitedQuota();
            }
            leases.setPool(a, w, QuotaPool.Kind.TOKEN, t.id(), t.remainQuota());
            return;
        }
        synchronized (a) {
            w.remain = t.remainQuota() - w.held;
            w.unlimited = t.unlimitedQuota();
        }
        dirtyTokens.add(t.id());
    }

    @Override
    public void unlimitedChanged(TokenRecord t) {
        if (leases == null) {
            quotaChanged(t);
            return;
        }
        Account a = account(t.userId());
        Wallet w = wallet(t);
        synchronized (a) {
            w.unlimited = t.unlimitedQuota();
        }
    }

    /** @param t a token whose pool another node's admin set: this node's slice of the old one is dropped */
    public void poolSet(TokenRecord t) {
        Account a = account(t.userId());
        Wallet w = wallet(t);
        synchronized (a) {
            w.unlimited = t.unlimitedQuota();
        }
        Leases.dropSlice(a, w);
    }

    @Override
    public UserRecord live(UserRecord u) {
        Account a = accounts.get(u.id());
        if (a == null) {
            return u;
        }
        synchronized (a) {
            return leases == null ? u.withBalance(a.remain + a.held, a.used, a.requests)
                    : u.withBalance(Leases.shown(a, u.quota()), u.usedQuota() + a.used - a.usedWritten,
                            u.requestCount() + a.requests - a.requestsWritten);
        }
    }

    @Override
    public void quotaChanged(UserRecord u) {
        Account a = account(u.id());
        if (leases != null) {
            synchronized (a) {
                a.unlimited = u.unlimitedQuota();
            }
            leases.setPool(a, a, QuotaPool.Kind.USER, u.id(), u.quota());
            return;
        }
        synchronized (a) {
            a.remain = u.quota() - a.held;
            a.unlimited = u.unlimitedQuota();
        }
        dirtyUsers.add(u.id());
    }

    @Override
    public void unlimitedChanged(UserRecord u) {
        if (leases == null) {
            quotaChanged(u);
            return;
        }
        Account a = account(u.id());
        synchronized (a) {
            a.unlimited = u.unlimitedQuota();
        }
    }

    /** @param u a user whose pool another node's admin set: this node's slice of the old one is dropped */
    public void poolSet(UserRecord u) {
        Account a = account(u.id());
        synchronized (a) {
            a.unlimited = u.unlimitedQuota();
        }
        Leases.dropSlice(a, a);
    }

    @Override
    public void forget(long tokenId) {
        wallets.remove(tokenId);
        dirtyTokens.remove(tokenId);
    }

    /**
     * Gives the slices back to the shared pools (when leasing; else nothing).
     *
     * @param idleSince only those unused since this {@link System#nanoTime()}; {@link Long#MAX_VALUE} for all (the stop)
     */
    public void giveBack(long idleSince) {
        if (leases == null) {
            return;
        }
        wallets.forEach((id, w) -> leases.giveBack(account(w.userId), w, QuotaPool.Kind.TOKEN, id, idleSince));
        accounts.forEach((id, a) -> leases.giveBack(a, a, QuotaPool.Kind.USER, id, idleSince));
    }

    /**
     * Takes the balances that moved since the last call, for the write-behind: settled balances, or when leasing the
     * increments of used quota and requests.
     *
     * @param logs the log entries to write with them
     * @return the batch
     */
    public UsageBatch drain(List<dev.switchboard.core.store.EncodedLog> logs) {
        boolean deltas = leases != null;
        Map<Long, UsageBatch.TokenBalance> tokens = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyTokens)) {
            dirtyTokens.remove(id);
            Wallet w = wallets.get(id);
            if (w != null) {
                synchronized (account(w.userId)) {
                    tokens.put(id, deltas ? new UsageBatch.TokenBalance(0, w.used - w.usedWritten)
                            : new UsageBatch.TokenBalance(w.remain + w.held, w.used));
                    w.usedWritten = w.used;
                }
            }
        }
        Map<Long, UsageBatch.UserBalance> userBalances = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyUsers)) {
            dirtyUsers.remove(id);
            Account a = account(id);
            synchronized (a) {
                userBalances.put(id, deltas
                        ? new UsageBatch.UserBalance(0, a.used - a.usedWritten, a.requests - a.requestsWritten)
                        : new UsageBatch.UserBalance(a.remain + a.held, a.used, a.requests));
                a.usedWritten = a.used;
                a.requestsWritten = a.requests;
            }
        }
        Map<Long, Long> channelBalances = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyChannels)) {
            dirtyChannels.remove(id);
            AtomicLong used = channels.get(id);
            // Leasing: a channel's counter holds what this node spent since the last batch.
            channelBalances.put(id, deltas ? used.getAndSet(0) : used.get());
        }
        return new UsageBatch(tokens, userBalances, channelBalances, logs, deltas);
    }
}
