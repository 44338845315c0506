package dev.switchboard.testkit;

import dev.switchboard.api.provider.SseEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a server-sent event stream into {@link SseEvent}s as the core's parser does: {@code data:} with or
 * without its one space, several {@code data:} lines joined by {@code \n}, {@code event:} and {@code id:}
 * kept, comment lines ({@code :...}) skipped, an event dispatched at a blank line or at the end of the stream.
 */
public final class SseReader {

    private SseReader() {
    }

    /** @param text a whole stream @return its events */
    public static List<SseEvent> parse(String text) {
        List<SseEvent> events = new ArrayList<>();
        try {
            read(new StringReader(text), events::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /**
     * Reads events as they arrive, handing each to {@code sink} before reading on.
     *
     * @param in the stream, UTF-8
     * @param sink receives each event
     * @throws IOException when reading fails
     */
    public static void read(InputStream in, Consumer<SseEvent> sink) throws IOException {
        read(new InputStreamReader(in, StandardCharsets.UTF_8), sink);
    }

    private static void read(Reader reader, Consumer<SseEvent> sink) throws IOException {
        BufferedReader r = new BufferedReader(reader);
        StringBuilder data = null;
        String event = null;
        String id = null;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    sink.accept(new SseEvent(id, event, data.toString()));
                }
                data = null;
                event = null;
                id = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> event = value;
                case "id" -> id = value;
                default -> { }
            }
        }
        if (data != null) {
            sink.accept(new SseEvent(id, event, data.toString()));
        }
    }
}
