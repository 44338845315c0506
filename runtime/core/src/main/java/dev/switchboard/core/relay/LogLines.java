package dev.switchboard.core.relay;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Writes the request log's lines a batch at a time, in the layout slf4j-simple gives every other log line as the
 * launcher sets it up ({@code 2026-11-28T15:14:38.123Z [request-log] INFO requests - ...}), to the same stream.
 * The request log is the busiest log by far: one logging call per line cost the gateway about 5% of its CPU at
 * 15,000 requests a second, the date formatted by a {@code SimpleDateFormat} and a write and a flush per line.
 * Here a second's date and time is formatted once, and a batch is one write.
 * It applies only where its lines are exactly what the logger would write ({@link #matching}); anywhere else
 * (another provider, a log file, another layout) the request log logs line by line.
 */
final class LogLines {

    /** The launcher's date format for slf4j-simple. */
    static final String DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    private static final DateTimeFormatter TO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
    /** A batch longer than this is written before it grows further. */
    private static final int MAX_BATCH_CHARS = 64 * 1024;

    private final Supplier<PrintStream> out;
    private final String label;
    private final ZoneId zone;
    private final StringBuilder batch = new StringBuilder(MAX_BATCH_CHARS + 1024);
    private long second = Long.MIN_VALUE;
    private String secondText;
    private String offsetText;

    LogLines(Supplier<PrintStream> out, String threadName, String shortLogName, ZoneId zone) {
        this.out = out;
        this.label = " [" + threadName + "] INFO " + shortLogName + " - ";
        this.zone = zone;
    }

    /**
     * @param log the logger whose lines these are
     * @param threadName the thread that writes them
     * @param property reads slf4j-simple's settings (system properties)
     * @return lines for that logger's stream, or null when this logger's lines must go through the logger
     */
    static LogLines matching(Logger log, String threadName, Function<String, String> property) {
        if (!log.getClass().getName().equals("org.slf4j.simple.SimpleLogger")) {
            return null;
        }
        String prefix = "org.slf4j.simpleLogger.";
        String file = property.apply(prefix + "logFile");
        Supplier<PrintStream> stream;
        if ("System.out".equals(file)) {
            stream = () -> System.out;
        } else if (file == null || "System.err".equals(file)) {
            stream = () -> System.err;
        } else {
            return null;
        }
        boolean launcherLayout = "true".equals(property.apply(prefix + "showDateTime"))
                && DATE_FORMAT.equals(property.apply(prefix + "dateTimeFormat"))
                && !"false".equals(property.apply(prefix + "showThreadName"))
                && !"true".equals(property.apply(prefix + "showThreadId"))
                && !"true".equals(property.apply(prefix + "levelInBrackets"))
                && "true".equals(property.apply(prefix + "showShortLogName"))
                && property.apply(prefix + "infoLevelString") == null;
        if (!launcherLayout) {
            return null;
        }
        String name = log.getName();
        return new LogLines(stream, threadName, name.substring(name.lastIndexOf('.') + 1), ZoneId.systemDefault());
    }

    /**
     * Adds a line; the batch is written when it has grown long, else at the next {@link #flush}.
     *
     * @param epochMillis when
     * @param item what the line is about
     * @param message appends the line's message (without the line break); when it throws, the line is left out
     * @param <T> the item's type
     */
    <T> void add(long epochMillis, T item, BiConsumer<StringBuilder, T> message) {
        int mark = batch.length();
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            ZonedDateTime t = Instant.ofEpochSecond(s).atZone(zone);
            secondText = TO_SECOND.format(t) + '.';
            offsetText = OFFSET.format(t);
            second = s;
        }
        int ms = (int) Math.floorMod(epochMillis, 1000);
        batch.append(secondText).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                .append((char) ('0' + ms % 10)).append(offsetText).append(label);
        try {
            message.accept(batch, item);
        } catch (RuntimeException e) {
            batch.setLength(mark);
            throw e;
        }
        batch.append(System.lineSeparator());
        if (batch.length() > MAX_BATCH_CHARS) {
            flush();
        }
    }

    /** Writes the lines gathered, in one write. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        PrintStream s = out.get();
        s.print(batch);
        s.flush();
        batch.setLength(0);
    }
}
