package dev.switchboard.core.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UsageBatch;
import dev.switchboard.core.store.UserRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pre-consumption, settlement and refunds: token and user move together, and the books balance. */
class LedgerTest {

    static TokenRecord token(long id, long userId, boolean unlimited, long remain) {
        return new TokenRecord(id, "t" + id, "h" + id, "sk-...", "enabled", null, unlimited, remain, 0, List.of(),
                List.of(), null, null, null, null, userId, 0);
    }

    static UserRecord user(long id, boolean unlimited, long quota) {
        return new UserRecord(id, "u" + id, null, "user", "enabled", "default", quota, unlimited, 0, 0, null, null,
                null, 0);
    }

    static Ledger ledger(UserRecord... users) {
        Map<Long, UserRecord> byId = new java.util.HashMap<>();
        for (UserRecord u : users) {
            byId.put(u.id(), u);
        }
        return new Ledger(byId::get, id -> 0L);
    }

    static Charge charge(TokenRecord t, long amount, boolean[] taken) {
        return new Charge(t.id(), t.userId(), "default", "m", null, BigDecimal.ONE, new Estimate(0, 0, 0), amount,
                taken[0], taken[1]);
    }

    @Test
    void aHoldIsTakenFromBothAndSettledAtTheRealCost() {
        Ledger l = ledger(user(2, false, 1000));
        TokenRecord t = token(10, 2, false, 500);
        Charge c = charge(t, 100, l.reserve(t, 100));
        assertEquals(500, l.live(t).remainQuota(), "what is written and shown is settled: held counts as left");
        l.settle(c, 30);
        assertEquals(470, l.live(t).remainQuota());
        assertEquals(30, l.live(t).usedQuota());
        UserRecord u = l.live(user(2, false, 1000));
        assertEquals(970, u.quota());
        assertEquals(30, u.usedQuota());
        assertEquals(1, u.requestCount());
    }

    @Test
    void aRefundGivesEverythingBack() {
        Ledger l = ledger(user(2, false, 1000));
        TokenRecord t = token(10, 2, false, 500);
        l.settle(charge(t, 100, l.reserve(t, 100)), 0);
        assertEquals(500, l.live(t).remainQuota());
        assertEquals(0, l.live(t).usedQuota());
        assertEquals(1000, l.live(user(2, false, 1000)).quota());
    }

    @Test
    void anEstimateBeyondTheTokenOrTheUserIsRefusedAndTakesNothing() {
        Ledger l = ledger(user(2, false, 1000));
        TokenRecord small = token(10, 2, false, 50);
        Shortfall s = assertThrows(Shortfall.class, () -> l.reserve(small, 51));
        assertTrue(s.getMessage().contains("token"), s.getMessage());
        TokenRecord big = token(11, 2, true, 0);
        s = assertThrows(Shortfall.class, () -> l.reserve(big, 1001));
        assertTrue(s.getMessage().contains("user"), s.getMessage());
        assertEquals(50, l.live(small).remainQuota());
        assertEquals(1000, l.live(user(2, false, 1000)).quota());
        assertThrows(Shortfall.class, () -> l.reserve(token(12, 2, false, 0), 0), "an empty token is exhausted");
    }

    @Test
    void unlimitedBalancesGiveNothingAndGetNothingBackButCountTheUse() {
        Ledger l = ledger(user(2, true, 0));
        TokenRecord t = token(10, 2, true, 0);
        boolean[] taken = l.reserve(t, 1_000_000);
        assertEquals(false, taken[0]);
        assertEquals(false, taken[1]);
        l.settle(charge(t, 1_000_000, taken), 700);
        assertEquals(0, l.live(t).remainQuota());
        assertEquals(700, l.live(t).usedQuota());
        assertEquals(700, l.live(user(2, true, 0)).usedQuota());
    }

    @Test
    void aSettlementAboveTheEstimateOverdrawsByTheDifferenceOnly() {
        Ledger l = ledger(user(2, true, 0));
        TokenRecord t = token(10, 2, false, 100);
        l.settle(charge(t, 100, l.reserve(t, 100)), 130);
        assertEquals(-30, l.live(t).remainQuota());
        assertThrows(Shortfall.class, () -> l.reserve(t, 1), "an overdrawn token is refused");
    }

    @Test
    void anAdminsNewQuotaKeepsTheHoldsInFlight() {
        Ledger l = ledger(user(2, true, 0));
        TokenRecord t = token(10, 2, false, 100);
        Charge c = charge(t, 60, l.reserve(t, 60));
        l.quotaChanged(t.withBalance(1000, 0));
        l.settle(c, 60);
        assertEquals(940, l.live(t).remainQuota());
    }

    @Test
    void concurrentRequestsNeverOverdrawAndTheBooksBalance() throws Exception {
        Ledger l = ledger(user(2, false, 1_000_000));
        TokenRecord t = token(10, 2, false, 10 * 100);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Long> remains = new ConcurrentLinkedQueue<>();
        List<java.util.concurrent.Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(pool.submit(() -> {
                go.await();
                try {
                    boolean[] taken = l.reserve(t, 100);
                    admitted.incrementAndGet();
                    Thread.yield();
                    l.settle(charge(t, 100, taken), 90);
                } catch (Shortfall s) {
                    refused.incrementAndGet();
                }
                remains.add(l.live(t).remainQuota());
                return null;
            }));
        }
        go.countDown();
        for (var f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        TokenRecord after = l.live(t);
        assertEquals(500, admitted.get() + refused.get());
        assertEquals(1000, after.remainQuota() + after.usedQuota(), "every micro-unit is either left or used");
        assertEquals(admitted.get() * 90L, after.usedQuota());
        assertTrue(after.remainQuota() >= 0, "never overdrawn: settlements were below their estimates");
        assertTrue(remains.stream().allMatch(r -> r >= 0));
        UserRecord u = l.live(user(2, false, 1_000_000));
        assertEquals(after.usedQuota(), u.usedQuota(), "token and user charged together");
        assertEquals(1_000_000 - u.usedQuota(), u.quota());
        assertEquals(admitted.get(), u.requestCount());
        UsageBatch batch = l.drain(List.of());
        assertEquals(new UsageBatch.TokenBalance(after.remainQuota(), after.usedQuota()), batch.tokens().get(10L));
        assertTrue(l.drain(List.of()).isEmpty(), "drained once");
    }
}
