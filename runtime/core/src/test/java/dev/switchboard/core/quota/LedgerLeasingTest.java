package dev.switchboard.core.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.store.PostgresStore;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes leasing one token's and one user's quota from one PostgreSQL: each node is a {@link PostgresStore} and a
 * leasing {@link Ledger} of its own, as two gateway processes would have.
 */
class LedgerLeasingTest {

    private static final long SLICE = 100;

    private TestDatabase.Schema schema;
    private PostgresStore storeA;
    private PostgresStore storeB;
    private ExecutorService ahead;

    @BeforeEach
    void open() {
        schema = TestDatabase.newSchema();
        storeA = new PostgresStore(schema.connection());
        storeB = new PostgresStore(schema.connection());
        ahead = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() throws InterruptedException {
        if (ahead != null) {
            ahead.shutdown();
            ahead.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (storeA != null) {
            storeA.close();
            storeB.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    private Ledger node(PostgresStore store) {
        return Ledger.leasing(id -> store.users().stream().filter(u -> u.id() == id).findFirst().orElse(null), store,
                SLICE, ahead);
    }

    private TokenRecord token(long remain, boolean unlimitedUser, long userQuota) {
        UserRecord u = storeA.saveUser(LedgerTest.user(1, unlimitedUser, userQuota)).toCompletableFuture().join();
        return storeA.saveToken(LedgerTest.token(0, u.id(), false, remain)).toCompletableFuture().join();
    }

    private long scalar(String sql) {
        try (var c = java.sql.DriverManager.getConnection(schema.connection().url(), schema.connection().user(),
                schema.connection().password()); var s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reserves and settles at the estimate; @return whether the node admitted it */
    private static boolean spend(Ledger node, TokenRecord t, long amount) {
        try {
            node.settle(LedgerTest.charge(t, amount, node.reserve(t, amount)), amount);
            return true;
        } catch (Shortfall refused) {
            return false;
        }
    }

    private void settleAhead() throws Exception {
        // The leases ahead of need run on this executor: wait for those already asked for.
        ahead.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void roundRobinTrafficSpendsATokensQuotaExactlyAndBothNodesRefuseOnceItIsSpent() throws Exception {
        TokenRecord t = token(1_000, true, 0);
        Ledger a = node(storeA);
        Ledger b = node(storeB);
        long charged = 0;
        List<Ledger> nodes = List.of(a, b);
        int refusedInARow = 0;
        for (int i = 0; refusedInARow < 2; i++) {
            Ledger node = nodes.get(i % 2);
            if (spend(node, t, 7)) {
                charged += 7;
                refusedInARow = 0;
                continue;
            }
            // Refused while the other node may still hold a slice: once every slice is back in the pool, a node is
            // refused only when the pool itself cannot cover the request.
            settleAhead();
            a.giveBack(Long.MAX_VALUE);
            b.giveBack(Long.MAX_VALUE);
            if (spend(node, t, 7)) {
                charged += 7;
                refusedInARow = 0;
            } else {
                refusedInARow++;
            }
        }
        settleAhead();
        a.giveBack(Long.MAX_VALUE);
        b.giveBack(Long.MAX_VALUE);
        assertEquals(994, charged, "1000 micro-units buy 142 requests of 7 across both nodes, not one more or less");
        assertEquals(6, scalar("SELECT remain_quota FROM tokens"), "what is left is back in the pool");
        storeA.writeUsage(a.drain(List.of())).toCompletableFuture().join();
        storeB.writeUsage(b.drain(List.of())).toCompletableFuture().join();
        assertEquals(994, scalar("SELECT used_quota FROM tokens"), "both nodes' spending is added up");
        assertEquals(142, scalar("SELECT request_count FROM users"));
    }

    @Test
    void concurrentRequestsOnTwoNodesNeverOverdrawAUsersQuota() throws Exception {
        TokenRecord t = token(1_000_000, false, 5_000);
        Ledger a = node(storeA);
        Ledger b = node(storeB);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> spent = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                Ledger node = c % 2 == 0 ? a : b;
                spent.add(clients.submit(() -> {
                    long sum = 0;
                    for (int i = 0; i < 400; i++) {
                        if (spend(node, t, 11)) {
                            sum += 11;
                        }
                    }
                    return sum;
                }));
            }
            long total = 0;
            for (Future<Long> f : spent) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            settleAhead();
            a.giveBack(Long.MAX_VALUE);
            b.giveBack(Long.MAX_VALUE);
            assertTrue(total <= 5_000, "never more than the user's quota: " + total);
            assertEquals(5_000 - total, scalar("SELECT quota FROM users"), "what was not spent is back in the pool");
            assertTrue(5_000 - total < 11 * 2 + SLICE, "the quota was used up to less than a request per node "
                    + "and a slice: " + total);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRenameKeepsThePoolAndAnAdminsQuotaChangeSetsItAndDropsTheOtherNodesSlice() throws Exception {
        TokenRecord t = token(1_000, true, 0);
        Ledger a = node(storeA);
        Ledger b = node(storeB);
        assertTrue(spend(b, t, 10));
        settleAhead();
        long poolAfterLease = scalar("SELECT remain_quota FROM tokens");
        assertTrue(poolAfterLease < 990, "node B leased a slice: " + poolAfterLease);
        // A rename saved from a record read before the lease must not give the slice back to the pool.
        storeA.saveToken(new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), t.status(), t.expiresAt(),
                t.unlimitedQuota(), t.remainQuota(), t.usedQuota(), t.models(), t.subnets(), t.group(), t.rpm(),
                t.tpm(), t.maxConcurrency(), t.userId(), t.createdAt())).toCompletableFuture().join();
        assertEquals(poolAfterLease, scalar("SELECT remain_quota FROM tokens"));

        TokenRecord set = LedgerTest.token(t.id(), t.userId(), false, 50);
        a.quotaChanged(set);
        assertEquals(50, scalar("SELECT remain_quota FROM tokens"), "an admin's quota is the new pool");
        b.poolSet(set);
        assertTrue(spend(b, t, 30));
        settleAhead();
        assertThrows(Shortfall.class, () -> b.reserve(t, 30), "B's old slice is gone: only 20 of the 50 are left");
        a.giveBack(Long.MAX_VALUE);
        b.giveBack(Long.MAX_VALUE);
        assertEquals(20, scalar("SELECT remain_quota FROM tokens"));
    }

    @Test
    void anIdleSliceGoesBackAndABusyOneStays() throws Exception {
        TokenRecord t = token(10_000, true, 0);
        Ledger a = node(storeA);
        assertTrue(spend(a, t, 10));
        settleAhead();
        long leased = 10_000 - scalar("SELECT remain_quota FROM tokens");
        assertTrue(leased > 10, "a slice was leased: " + leased);
        long before = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
        a.giveBack(before);
        assertEquals(10_000 - leased, scalar("SELECT remain_quota FROM tokens"), "used within the idle time: kept");
        a.giveBack(System.nanoTime());
        assertEquals(9_990, scalar("SELECT remain_quota FROM tokens"), "idle: all but what was spent is back");
    }

    @Test
    void aNodeShowsThePoolItLastSawPlusItsSliceAndWhatItSpent() throws Exception {
        TokenRecord t = token(10_000, true, 0);
        Ledger a = node(storeA);
        assertEquals(t, a.live(t), "nothing leased yet: the stored record");
        assertTrue(spend(a, t, 25));
        settleAhead();
        TokenRecord shown = a.live(t);
        assertEquals(9_975, shown.remainQuota(), "the pool after this node's leases plus its slice");
        assertEquals(25, shown.usedQuota(), "spent here, not written yet");
        storeA.writeUsage(a.drain(List.of())).toCompletableFuture().join();
        assertEquals(25, scalar("SELECT used_quota FROM tokens"));
    }
}
