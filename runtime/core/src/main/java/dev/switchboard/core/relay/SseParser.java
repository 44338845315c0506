package dev.switchboard.core.relay;

import dev.switchboard.api.provider.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental server-sent-events parser: bytes in, whole events out, as the SSE specification reads them
 * ({@code data:} with or without the one space, {@code \n}, {@code \r\n} or {@code \r} line ends, comment lines
 * skipped). No line-length limit beyond {@code maxEvent}, which guards the heap.
 */
final class SseParser {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final long maxEvent;
    private StringBuilder data;
    private String event;
    private String id;
    private long eventBytes;
    private boolean lastWasCr;

    SseParser(long maxEvent) {
        this.maxEvent = maxEvent;
    }

    /**
     * @param bytes the next bytes of the stream
     * @param sink receives each complete event
     * @throws IllegalStateException when one event exceeds the limit
     */
    void feed(ByteBuffer bytes, Consumer<SseEvent> sink) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endOfLine(sink);
            } else {
                line.write(b);
                if (++eventBytes > maxEvent) {
                    throw new IllegalStateException("an upstream event is larger than " + maxEvent + " bytes");
                }
            }
        }
    }

    /** @param sink receives a last event that had no blank line after it */
    void finish(Consumer<SseEvent> sink) {
        if (line.size() > 0) {
            endOfLine(sink);
        }
        dispatch(sink);
    }

    private void endOfLine(Consumer<SseEvent> sink) {
        if (line.size() == 0) {
            dispatch(sink);
            return;
        }
        String l = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (l.startsWith(":")) {
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            case "id" -> id = value;
            default -> {
                // retry and unknown fields carry nothing for the gateway.
            }
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (data != null) {
            sink.accept(new SseEvent(id, event, data.toString()));
        }
        data = null;
        event = null;
        eventBytes = 0;
    }
}
