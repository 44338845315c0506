package dev.switchboard.core.usage;

import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.UsageBatch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage batches to the store in order, one at a time, and keeps those that fail (the database is briefly
 * unreachable) in memory, retrying every second, so an outage shorter than the buffer loses no usage record. The
 * buffer is bounded by log entries; past it the oldest batch goes, with an error saying how many entries were lost.
 * In order matters: balances in a batch are absolute, so a later batch must never be overwritten by an earlier one.
 */
final class UsageWriter {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);

    private final Store store;
    private final int maxEntries;
    private final Executor retryLater;
    private final Deque<UsageBatch> unwritten = new ArrayDeque<>();
    private int bufferedEntries;
    private boolean writing;
    private boolean failing;
    private boolean stopped;

    /**
     * @param store where batches go
     * @param maxEntries the most log entries kept while the store fails
     * @param retryEvery the pause between two tries of a failing write
     */
    UsageWriter(Store store, int maxEntries, Duration retryEvery) {
        this.store = store;
        this.maxEntries = maxEntries;
        this.retryLater = CompletableFuture.delayedExecutor(retryEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @param batch the next window's batch, written after every earlier one */
    synchronized void submit(UsageBatch batch) {
        unwritten.addLast(batch);
        bufferedEntries += batch.logs().size();
        while (bufferedEntries > maxEntries && unwritten.size() > 1) {
            UsageBatch lost = unwritten.removeFirst();
            bufferedEntries -= lost.logs().size();
            LOG.error("usage buffer full ({} entries): {} log entries and their balances were dropped unwritten",
                    maxEntries, lost.logs().size());
        }
        if (!writing) {
            writeNext();
        }
    }

    private synchronized void writeNext() {
        UsageBatch head = unwritten.peekFirst();
        if (head == null || stopped) {
            writing = false;
            notifyAll();
            return;
        }
        writing = true;
        store.writeUsage(head).whenComplete((ok, failure) -> written(head, failure));
    }

    private synchronized void written(UsageBatch head, Throwable failure) {
        if (failure == null) {
            unwritten.removeFirst();
            bufferedEntries -= head.logs().size();
            if (failing) {
                failing = false;
                LOG.info("usage is written again; {} buffered entries still to write", bufferedEntries);
            }
            writeNext();
            return;
        }
        if (!failing) {
            failing = true;
            LOG.warn("usage could not be written ({}); kept in memory and retried every second", failure.getMessage());
        }
        retryLater.execute(this::writeNext);
    }

    /**
     * Waits until everything submitted is written, then stops retrying.
     *
     * @param deadline how long to wait
     * @return how many log entries were left unwritten
     */
    synchronized int drain(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        try {
            while (!unwritten.isEmpty() && System.nanoTime() < end) {
                wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        return unwritten.isEmpty() ? 0 : bufferedEntries;
    }

    /** @return log entries waiting to be written */
    synchronized int buffered() {
        return bufferedEntries;
    }
}
