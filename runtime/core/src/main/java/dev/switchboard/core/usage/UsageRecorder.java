package dev.switchboard.core.usage;

import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.pricing.Costs;
import dev.switchboard.core.pricing.Unpriced;
import dev.switchboard.core.quota.Charge;
import dev.switchboard.core.quota.Ledger;
import dev.switchboard.core.quota.Tokenizer;
import dev.switchboard.core.relay.Handoff;
import dev.switchboard.core.relay.Tried;
import dev.switchboard.core.relay.Outcome;
import dev.switchboard.core.relay.OutcomeSink;
import dev.switchboard.core.store.EncodedLog;
import dev.switchboard.core.store.LogRecord;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UsageBatch;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Users;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles requests and writes the log behind. The relay's thread only enqueues ({@link #settle}); one thread
 * settles each outcome against the ledger and makes its log entry, encoded there as it settles ({@link EncodedLog}:
 * the store's writer then only writes), and once per window commits the balances that moved and the new entries as
 * one store change. So a crash loses at most one window of usage, and the books written are always consistent with
 * the log written with them.
 */
public final class UsageRecorder implements OutcomeSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    private final Store store;
    private final Ledger ledger;
    private final Tokenizer tokenizer;
    private final Unpriced unpriced;
    private final Tokens tokens;
    private final Users users;
    private final Channels channels;
    private final Duration window;
    private final Clock clock;
    private final Handoff<Object> queue = new Handoff<>();
    private final Thread worker;
    private final List<EncodedLog> pending = new ArrayList<>();
    private volatile boolean open = true;
    private final UsageWriter writer;
    private volatile Consumer<LogRecord> watcher = r -> { };
    private long lastId;
    private long deadline;
    private boolean dirty;

    private record Audit(long userId, String action, int status, String clientIp, String requestId, long at) {
    }

    /** The registries the write-behind keeps in step. @param tokens tokens @param users users @param channels channels */
    public record Registries(Tokens tokens, Users users, Channels channels) {
    }

    /**
     * @param store where balances and log entries go
     * @param ledger the live balances
     * @param tokenizer counts text when the upstream gave no usage
     * @param unpriced models seen without a price
     * @param registries the in-memory records kept in step with the balances written
     * @param window the write-behind window
     * @param buffer the most log entries kept in memory while the store cannot be written
     * @param clock the time
     */
    public UsageRecorder(Store store, Ledger ledger, Tokenizer tokenizer, Unpriced unpriced, Registries registries,
            Duration window, int buffer, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.tokenizer = tokenizer;
        this.unpriced = unpriced;
        this.tokens = registries.tokens();
        this.users = registries.users();
        this.channels = registries.channels();
        this.window = window;
        this.clock = clock;
        this.lastId = store.lastLogId();
        this.writer = new UsageWriter(store, buffer, Duration.ofSeconds(1));
        worker = new Thread(this::loop, "switchboard-usage");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Shows each request's log entry, once settled, to a watcher (metrics), on this recorder's thread. Set it before
     * traffic starts; it must not block.
     *
     * @param w the watcher
     */
    public void watch(Consumer<LogRecord> w) {
        this.watcher = w;
    }

    @Override
    public void settle(Outcome outcome) {
        queue.add(outcome);
    }

    /**
     * Records an admin action (written behind like usage).
     *
     * @param userId who did it, 0 when unknown
     * @param action what was done
     * @param status the answer's status
     * @param clientIp where from
     * @param requestId the request id
     */
    public void audit(long userId, String action, int status, String clientIp, String requestId) {
        queue.add(new Audit(userId, action, status, clientIp, requestId, clock.millis()));
    }

    private void loop() {
        while ((open || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
            try {
                long waitMillis = dirty ? Math.max(0, deadline - System.nanoTime() / 1_000_000) : 100;
                for (Object item : queue.take(TimeUnit.MILLISECONDS.toNanos(waitMillis))) {
                    settleOne(item);
                }
                if (dirty && System.nanoTime() / 1_000_000 >= deadline) {
                    flush();
                }
            } catch (RuntimeException e) {
                LOG.error("writing usage failed: {}", e.toString(), e);
            }
        }
        flush();
    }

    /** One item; a failure stays with its item (logged), and the rest of the batch settles. */
    private void settleOne(Object item) {
        try {
            process(item);
        } catch (RuntimeException e) {
            LOG.error("settling {} failed: {}", item instanceof Outcome o ? "request " + o.requestId()
                    : "an admin action", e.toString(), e);
        }
    }

    private void process(Object item) {
        if (!dirty) {
            dirty = true;
            deadline = System.nanoTime() / 1_000_000 + window.toMillis();
        }
        if (item instanceof Audit a) {
            pending.add(EncodedLog.of(new LogRecord(nextId(a.at()), a.at() / 1000, LogRecord.ADMIN, a.userId(), 0,
                    null, 0, null, null, false, 0, 0, 0, 0, false, false, -1, 0, a.status(), null, List.of(),
                    a.clientIp(), a.requestId(), a.action())));
            return;
        }
        Outcome o = (Outcome) item;
        Charge charge = o.hold() instanceof Charge c ? c : null;
        boolean billable = o.status() < 400 || (o.status() == 499 && o.firstByteMs() >= 0);
        Priced priced;
        try {
            priced = priced(o, charge, billable);
        } catch (RuntimeException e) {
            if (charge != null) {
                // Whatever failed, the hold must not stay taken: what was held is what it costs.
                ledger.settle(charge, charge.amount());
            }
            throw e;
        }
        Usage usage = priced.usage();
        boolean counted = priced.counted();
        long cost = priced.cost();
        if (charge != null) {
            ledger.settle(charge, cost);
            if (charge.price() == null && billable) {
                unpriced.saw(charge.model(), clock.millis() / 1000);
            }
        }
        if (o.channelId() > 0 && cost > 0) {
            ledger.channelSpent(o.channelId(), cost);
        }
        long now = clock.millis();
        String tokenName = tokens.get(o.tokenId()).map(TokenRecord::name).orElse(null);
        List<LogRecord.AttemptEntry> attempts = new ArrayList<>();
        for (Tried a : o.tried() == null ? List.<Tried>of() : o.tried()) {
            attempts.add(new LogRecord.AttemptEntry(a.channelId(), a.status(), a.millis(), a.reason()));
        }
        LogRecord entry = new LogRecord(nextId(now), now / 1000, LogRecord.RELAY, o.userId(), o.tokenId(), tokenName,
                o.channelId(), o.model(), o.upstreamModel(), o.stream(), usage.promptTokens(),
                usage.completionTokens(), usage.cachedPromptTokens(), cost, charge != null && charge.price() == null,
                counted, o.firstByteMs(), o.totalMs(), o.status(), o.error(), attempts, o.clientIp(),
                o.requestId(), null);
        pending.add(EncodedLog.of(entry));
        try {
            watcher.accept(entry);
        } catch (RuntimeException e) {
            LOG.warn("recording metrics of request {} failed: {}", o.requestId(), e.toString());
        }
    }

    private record Priced(Usage usage, boolean counted, long cost) {
    }

    /** What a request used (counted when the upstream did not say) and what that costs. */
    private Priced priced(Outcome o, Charge charge, boolean billable) {
        Usage usage = billable ? o.usage() : Usage.NONE;
        boolean counted = false;
        if (billable && (usage == null || usage.equals(Usage.NONE))) {
            long prompt = charge == null ? 0 : charge.estimate().promptTokens();
            usage = Usage.of(prompt, tokenizer.count(o.upstreamModel() != null ? o.upstreamModel() : o.model(),
                    o.generated() == null ? "" : o.generated().text()));
            counted = true;
        }
        long cost = charge == null ? 0 : Costs.of(charge.price(), charge.multiplier(), new Costs.Quantities(
                usage.promptTokens(), usage.cachedPromptTokens(), usage.completionTokens(),
                billable ? charge.estimate().images() : 0, billable ? 1 : 0));
        return new Priced(usage, counted, cost);
    }

    /** Ids sort by time: milliseconds times 1000 plus a sequence, never going back (even if the clock does). */
    private long nextId(long millis) {
        lastId = Math.max(lastId + 1, millis * 1000);
        return lastId;
    }

    private void flush() {
        dirty = false;
        UsageBatch batch = ledger.drain(new ArrayList<>(pending));
        pending.clear();
        if (batch.deltas()) {
            // Leasing: the registries add what this node spent (other nodes' spending comes with the next re-read).
            batch.tokens().forEach((id, b) -> tokens.get(id).ifPresent(
                    t -> tokens.applyBalance(id, t.remainQuota(), t.usedQuota() + b.used())));
            batch.users().forEach((id, b) -> users.get(id).ifPresent(
                    u -> users.applyBalance(id, u.quota(), u.usedQuota() + b.used(), u.requestCount() + b.requests())));
            batch.channelUsed().forEach((id, used) -> channels.get(id).ifPresent(
                    c -> channels.applyUsedQuota(id, c.usedQuota() + used)));
        } else {
            batch.tokens().forEach((id, b) -> tokens.applyBalance(id, b.remain(), b.used()));
            batch.users().forEach((id, b) -> users.applyBalance(id, b.quota(), b.used(), b.requests()));
            batch.channelUsed().forEach(channels::applyUsedQuota);
        }
        unpriced.save();
        if (batch.isEmpty()) {
            return;
        }
        writer.submit(batch);
    }

    /** Settles what is queued, writes the last window and what is buffered, waiting for the commits (store still open). */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        queue.wake();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int lost = writer.drain(Duration.ofSeconds(30));
        if (lost > 0) {
            LOG.error("{} log entries and their balances could not be written before the stop (the store is "
                    + "unreachable); they are lost", lost);
        }
    }
}
