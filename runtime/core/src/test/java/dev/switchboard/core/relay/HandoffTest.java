package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Items from many threads reach the one consumer, each once and in each producer's order; a sleeper wakes. */
class HandoffTest {

    @Test
    void everyItemArrivesOnceInEachProducersOrder() throws Exception {
        Handoff<long[]> handoff = new Handoff<>();
        int producers = 4;
        int each = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    handoff.add(new long[] {id, i});
                }
            });
            threads.add(t);
            t.start();
        }
        long[] next = new long[producers];
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got < producers * each && System.nanoTime() < deadline) {
            for (long[] item : handoff.take(TimeUnit.MILLISECONDS.toNanos(100))) {
                assertEquals(next[(int) item[0]]++, item[1], "producer " + item[0] + "'s items in order");
                got++;
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(producers * each, got);
        assertTrue(handoff.isEmpty());
        assertTrue(handoff.take(0).isEmpty(), "nothing left over");
    }

    @Test
    void anIdleConsumerIsWokenByTheNextItemNotItsTimeout() throws Exception {
        Handoff<String> handoff = new Handoff<>();
        // Idle long enough to sleep until the next item.
        assertTrue(handoff.take(TimeUnit.MILLISECONDS.toNanos(300)).isEmpty());
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            handoff.add("late");
        });
        producer.start();
        long start = System.nanoTime();
        List<String> taken = handoff.take(TimeUnit.SECONDS.toNanos(20));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of("late"), taken);
        assertTrue(waitedMs < 10_000, "woken by the item, not the 20 s timeout: " + waitedMs + " ms");
        producer.join();
    }
}
