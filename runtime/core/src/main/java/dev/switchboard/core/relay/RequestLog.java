package dev.switchboard.core.relay;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log line (logger {@code switchboard.requests}): one per relayed request, with every upstream call
 * it made ({@code tried=channel:status:time[:reason], ...}), no key and no upstream URL. The relay only queues
 * the outcome (a {@link Handoff}, bounded: when the writer falls behind by {@link #MAX_QUEUED} lines, lines are
 * dropped and counted rather than slowing requests down); one thread formats and writes, a batch of lines at a time
 * where it can ({@link LogLines}).
 */
public final class RequestLog implements OutcomeSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("switchboard.requests");
    static final int MAX_QUEUED = 10_000;
    private static final String WRITER_NAME = "request-log";

    private final Handoff<Outcome> queue = new Handoff<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    /** The lines in batches, or null to log them one by one. */
    private final LogLines lines = LogLines.matching(LOG, WRITER_NAME, System::getProperty);
    private volatile boolean open = true;

    /** Starts the writer thread. */
    public RequestLog() {
        writer = new Thread(this::writeLoop, WRITER_NAME);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void settle(Outcome o) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(o);
    }

    private void writeLoop() {
        while ((open || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
            for (Outcome o : queue.take(TimeUnit.MILLISECONDS.toNanos(200))) {
                queued.decrementAndGet();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    LOG.warn("{} request log line(s) dropped: the log could not keep up", lost);
                }
                write(o);
            }
            if (lines != null) {
                lines.flush();
            }
        }
    }

    static String line(Outcome o) {
        StringBuilder b = new StringBuilder(256);
        append(b, o);
        return b.toString();
    }

    private static void append(StringBuilder b, Outcome o) {
        b.append(o.requestId()).append(" token=").append(o.tokenId()).append(" channel=").append(o.channelId())
                .append(" model=").append(o.model()).append(" upstream_model=").append(o.upstreamModel())
                .append(" stream=").append(o.stream()).append(" status=").append(o.status())
                .append(" prompt_tokens=").append(o.usage().promptTokens())
                .append(" completion_tokens=").append(o.usage().completionTokens())
                .append(" first_byte_ms=").append(o.firstByteMs()).append(" total_ms=").append(o.totalMs())
                .append(" attempts=").append(o.attempts()).append(" client=").append(o.clientIp());
        if (o.tried() != null && !o.tried().isEmpty()) {
            b.append(" tried=\"");
            for (int i = 0; i < o.tried().size(); i++) {
                b.append(i == 0 ? "" : ", ").append(o.tried().get(i).toString().replace('"', '\''));
            }
            b.append('"');
        }
        if (o.error() != null) {
            b.append(" error=\"").append(o.error().replace('"', '\'')).append('"');
        }
    }

    private void write(Outcome o) {
        try {
            if (lines == null) {
                LOG.info(line(o));
                return;
            }
            lines.add(System.currentTimeMillis(), o, RequestLog::append);
        } catch (RuntimeException e) {
            // A broken outcome must not stop the log.
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        open = false;
        queue.wake();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
