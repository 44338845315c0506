package dev.switchboard.core.quota;

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
 */
public final class Ledger implements TokenBalances, UserBalances {

    /** A user's balance; its monitor guards it and its tokens' wallets. */
    private static final class Account {
        long quota;
        long held;
        long used;
        long requests;
        boolean unlimited;
    }

    /** A token's balance, guarded by its owner's {@link Account}. */
    private static final class Wallet {
        final long userId;
        long remain;
        long held;
        long used;
        boolean unlimited;

        Wallet(long userId) {
            this.userId = userId;
        }
    }

    private final LongFunction<UserRecord> users;
    private final LongFunction<Long> channelUsed;
    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();
    private final Map<Long, Wallet> wallets = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> channels = new ConcurrentHashMap<>();
    private final Set<Long> dirtyTokens = ConcurrentHashMap.newKeySet();
    private final Set<Long> dirtyUsers = ConcurrentHashMap.newKeySet();
    private final Set<Long> dirtyChannels = ConcurrentHashMap.newKeySet();

    /**
     * @param users the stored user by id ({@code null} when none), read once per user
     * @param channelUsed a channel's stored used quota, read once per channel
     */
    public Ledger(LongFunction<UserRecord> users, LongFunction<Long> channelUsed) {
        this.users = users;
        this.channelUsed = channelUsed;
    }

    private Account account(long userId) {
        return accounts.computeIfAbsent(userId, id -> {
            Account a = new Account();
            UserRecord u = users.apply(id);
            if (u == null) {
                a.unlimited = true;
            } else {
                a.quota = u.quota();
                a.used = u.usedQuota();
                a.requests = u.requestCount();
                a.unlimited = u.unlimitedQuota();
            }
            return a;
        });
    }

    private Wallet wallet(TokenRecord t) {
        return wallets.computeIfAbsent(t.id(), id -> {
            Wallet w = new Wallet(t.userId());
            w.remain = t.remainQuota();
            w.used = t.usedQuota();
            w.unlimited = t.unlimitedQuota();
            return w;
        });
    }

    /**
     * Pre-consumes an estimate from a token and its owner, both or neither.
     *
     * @param token the token
     * @param amount the estimate, micro-units
     * @return whether it was taken from the token and from the user (an unlimited balance gives nothing)
     * @throws Shortfall when the token or the user cannot cover it
     */
    public boolean[] reserve(TokenRecord token, long amount) {
        Account a = account(token.userId());
        Wallet w = wallet(token);
        synchronized (a) {
            if (!w.unlimited && (w.remain <= 0 || w.remain < amount)) {
                throw new Shortfall("this token's quota is used up: " + Math.max(0, w.remain)
                        + " micro-units left, and this request may cost up to " + amount);
            }
            if (!a.unlimited && (a.quota <= 0 || a.quota < amount)) {
                throw new Shortfall("the quota of this token's user is used up: " + Math.max(0, a.quota)
                        + " micro-units left, and this request may cost up to " + amount);
            }
            if (!w.unlimited) {
                w.remain -= amount;
                w.held += amount;
            }
            if (!a.unlimited) {
                a.quota -= amount;
                a.held += amount;
            }
            return new boolean[] {!w.unlimited, !a.unlimited};
        }
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
                a.quota += c.amount();
                a.held -= c.amount();
            }
            if (!a.unlimited) {
                a.quota -= cost;
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

    @Override
    public TokenRecord live(TokenRecord t) {
        Wallet w = wallets.get(t.id());
        if (w == null) {
            return t;
        }
        synchronized (account(w.userId)) {
            return t.withBalance(w.remain + w.held, w.used);
        }
    }

    @Override
    public void quotaChanged(TokenRecord t) {
        Account a = account(t.userId());
        Wallet w = wallet(t);
        synchronized (a) {
            w.remain = t.remainQuota() - w.held;
            w.unlimited = t.unlimitedQuota();
        }
        dirtyTokens.add(t.id());
    }

    @Override
    public UserRecord live(UserRecord u) {
        Account a = accounts.get(u.id());
        if (a == null) {
            return u;
        }
        synchronized (a) {
            return u.withBalance(a.quota + a.held, a.used, a.requests);
        }
    }

    @Override
    public void quotaChanged(UserRecord u) {
        Account a = account(u.id());
        synchronized (a) {
            a.quota = u.quota() - a.held;
            a.unlimited = u.unlimitedQuota();
        }
        dirtyUsers.add(u.id());
    }

    @Override
    public void forget(long tokenId) {
        wallets.remove(tokenId);
        dirtyTokens.remove(tokenId);
    }

    /**
     * Takes the settled balances that moved since the last call, for the write-behind.
     *
     * @param logs the log entries to write with them
     * @return the batch
     */
    public UsageBatch drain(List<dev.switchboard.core.store.LogRecord> logs) {
        Map<Long, UsageBatch.TokenBalance> tokens = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyTokens)) {
            dirtyTokens.remove(id);
            Wallet w = wallets.get(id);
            if (w != null) {
                synchronized (account(w.userId)) {
                    tokens.put(id, new UsageBatch.TokenBalance(w.remain + w.held, w.used));
                }
            }
        }
        Map<Long, UsageBatch.UserBalance> userBalances = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyUsers)) {
            dirtyUsers.remove(id);
            Account a = account(id);
            synchronized (a) {
                userBalances.put(id, new UsageBatch.UserBalance(a.quota + a.held, a.used, a.requests));
            }
        }
        Map<Long, Long> channelBalances = new HashMap<>();
        for (Long id : new ArrayList<>(dirtyChannels)) {
            dirtyChannels.remove(id);
            channelBalances.put(id, channels.get(id).get());
        }
        return new UsageBatch(tokens, userBalances, channelBalances, logs);
    }
}
