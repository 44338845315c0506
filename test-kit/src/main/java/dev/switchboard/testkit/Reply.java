package dev.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of a {@link FakeUpstream}: a status, a content type and a body sent in one piece, or a
 * server-sent event stream written frame by frame with optional pauses between frames.
 */
public final class Reply {

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final List<Object> parts; // byte[] frames and Duration pauses, in order

    private Reply(int status, String contentType, Map<String, String> headers, List<Object> parts) {
        this.status = status;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.parts = List.copyOf(parts);
    }

    /**
     * @param status the HTTP status
     * @param json the JSON body
     * @return a reply with {@code Content-Type: application/json}
     */
    public static Reply json(int status, String json) {
        return raw(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param json the JSON body
     * @return a 200 reply with {@code Content-Type: application/json}
     */
    public static Reply json(String json) {
        return json(200, json);
    }

    /**
     * An error answer as vendors send them: a status and a body, JSON or not.
     *
     * @param status the HTTP status, e.g. 401
     * @param contentType the content type, e.g. {@code application/json} or {@code text/html}
     * @param body the body text
     * @return the reply
     */
    public static Reply error(int status, String contentType, String body) {
        return raw(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param status the HTTP status
     * @param contentType the content type, or {@code null} for none
     * @param body the body bytes
     * @return the reply
     */
    public static Reply raw(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, Map.of(), List.of(body.clone()));
    }

    /**
     * A 200 event stream of {@code data:} events, one per argument, as written (no {@code [DONE]} added).
     *
     * @param data the data of each event, e.g. a JSON chunk or {@code [DONE]}
     * @return the reply
     */
    public static Reply sse(String... data) {
        Sse b = sse();
        for (String d : data) {
            b.data(d);
        }
        return b.build();
    }

    /** @return a builder for a 200 event stream with pauses, named events or raw frames */
    public static Sse sse() {
        return new Sse();
    }

    /**
     * @param name the header name
     * @param value the value
     * @return a copy of this reply that also sends the header
     */
    public Reply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, h, parts);
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    Map<String, String> headers() {
        return headers;
    }

    List<Object> parts() {
        return parts;
    }

    boolean streamed() {
        return parts.size() != 1 || !(parts.get(0) instanceof byte[]) || "text/event-stream".equals(contentType);
    }

    /** Builds an event-stream {@link Reply}; each frame is written and flushed on its own. */
    public static final class Sse {
        private final List<Object> parts = new ArrayList<>();

        private Sse() {
        }

        /** @param data the event's data (several lines allowed) @return this builder */
        public Sse data(String data) {
            StringBuilder f = new StringBuilder();
            for (String line : data.split("\n", -1)) {
                f.append("data: ").append(line).append('\n');
            }
            return frame(f.append('\n').toString());
        }

        /** @param event the {@code event:} name @param data the data @return this builder */
        public Sse event(String event, String data) {
            return frame("event: " + Objects.requireNonNull(event) + "\n" + "data: " + data + "\n\n");
        }

        /** @param text a frame written as given, e.g. {@code ": keep-alive\n\n"} or half an event @return this */
        public Sse frame(String text) {
            parts.add(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** @param pause how long to wait before the next frame @return this builder */
        public Sse pause(Duration pause) {
            parts.add(pause);
            return this;
        }

        /** @return this builder after a {@code data: [DONE]} event */
        public Sse done() {
            return data("[DONE]");
        }

        /** @return the reply */
        public Reply build() {
            return new Reply(200, "text/event-stream", Map.of(), parts);
        }
    }
}
