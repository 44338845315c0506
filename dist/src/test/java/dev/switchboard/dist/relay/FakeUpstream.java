package dev.switchboard.dist.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake OpenAI upstream on 127.0.0.1 for end-to-end tests: it records every request it receives (method, path,
 * headers, body bytes) and answers each path as the test told it: a JSON body, SSE events with pauses, an
 * OpenAI error, raw bytes, a delay or a gate before the headers, a connection cut mid-stream, or a stream held
 * open until the client goes away (noting when).
 *
 * <pre>{@code
 * FakeUpstream fake = FakeUpstream.start();
 * fake.on("/v1/chat/completions", Reply.json("{...}").header("Set-Cookie", "a=b"));
 * fake.on("/v1/embeddings", req -> Reply.json(req.json().path("encoding_format").asText().equals("base64") ? ...));
 * ... channel base_url = fake.baseUrl() ...
 * FakeUpstream.Received r = fake.last();
 * }</pre>
 *
 * Chunked answers are written with one flush per step, so each event leaves as its own chunk.
 */
public final class FakeUpstream implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server closes keep-alive connections idle for 30 s; a gateway's pooled connection must not be
        // cut under a request in the middle of a test class.
        System.setProperty("sun.net.httpserver.idleInterval", "600");
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-upstream");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();

    private FakeUpstream(HttpServer server) {
        this.server = server;
    }

    /** @return a started fake on a free loopback port */
    public static FakeUpstream start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            FakeUpstream f = new FakeUpstream(s);
            s.createContext("/", f::handle);
            s.setExecutor(f.pool);
            s.start();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the base URL an {@code openai} channel uses: {@code http://127.0.0.1:PORT/v1} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /**
     * @param path the exact request path, e.g. {@code /v1/chat/completions}
     * @param reply the answer to every request on it
     * @return this
     */
    public FakeUpstream on(String path, Reply reply) {
        return on(path, r -> reply);
    }

    /**
     * @param path the exact request path
     * @param reply the answer, chosen per request (e.g. by its body)
     * @return this
     */
    public FakeUpstream on(String path, Function<Received, Reply> reply) {
        routes.put(path, reply);
        return this;
    }

    /** Forgets the answers and the requests received: call between tests. */
    public void reset() {
        routes.clear();
        received.clear();
    }

    /** @return every request received since the last reset, in order of arrival */
    public List<Received> requests() {
        return List.copyOf(received);
    }

    /** @return the only request received since the last reset (fails when there were none or several) */
    public Received only() {
        List<Received> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one upstream request, got " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    /**
     * @param deadline how long to wait
     * @return the first request received since the last reset
     */
    public Received awaitFirst(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (received.isEmpty()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the upstream received no request within " + deadline);
            }
            sleep(10);
        }
        return received.get(0);
    }

    /**
     * Fails unless the gateway closed the connection of the first call it made within 10 s.
     *
     * @param sinceNanos when the client hung up ({@link System#nanoTime()})
     * @return how many milliseconds after that the upstream connection closed
     */
    public long awaitFirstCallCancelled(long sinceNanos) {
        Received up = awaitFirst(Duration.ofSeconds(5));
        try {
            return TimeUnit.NANOSECONDS.toMillis(up.clientGone().get(10, TimeUnit.SECONDS) - sinceNanos);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the upstream call was not cancelled within 10 s of the client hanging up");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        Received r = new Received(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                x.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers), body, System.nanoTime());
        received.add(r);
        Function<Received, Reply> route = routes.get(r.path());
        Reply reply = route == null
                ? Reply.error(404, "invalid_request_error", "unknown_url", null,
                        "fake upstream: nothing scripted for " + r.method() + " " + r.path())
                : route.apply(r);
        try {
            serve(x, r, reply);
        } catch (IOException e) {
            r.clientGone.complete(System.nanoTime());
            throw e;
        }
    }

    private static void serve(HttpExchange x, Received r, Reply reply) throws IOException {
        if (reply.gate != null) {
            await(reply.gate);
        }
        if (reply.delayMillis > 0) {
            sleep(reply.delayMillis);
        }
        reply.headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        if (reply.contentType != null) {
            x.getResponseHeaders().set("Content-Type", reply.contentType);
        }
        if (reply.steps == null) {
            byte[] b = reply.body == null ? new byte[0] : reply.body;
            x.sendResponseHeaders(reply.status, b.length == 0 ? -1 : b.length);
            r.headersSentAt = System.nanoTime();
            if (b.length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(b);
                }
            }
            x.close();
            return;
        }
        x.sendResponseHeaders(reply.status, 0);
        r.headersSentAt = System.nanoTime();
        OutputStream out = x.getResponseBody();
        for (Object step : reply.steps) {
            if (step instanceof Long pause) {
                sleep(pause);
            } else {
                out.write((byte[]) step);
                out.flush();
            }
        }
        switch (reply.ending) {
            case END -> out.close();
            case BREAK -> {
                // An exception out of the handler makes the JDK server close the socket without the last chunk.
                throw new BrokenOnPurpose();
            }
            case HOLD -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                byte[] ev = reply.holdEvent;
                while (System.nanoTime() < end) {
                    sleep(reply.holdEveryMillis);
                    try {
                        out.write(ev);
                        out.flush();
                    } catch (IOException gone) {
                        r.clientGone.complete(System.nanoTime());
                        throw new BrokenOnPurpose();
                    }
                }
                out.close();
            }
            default -> throw new IllegalStateException();
        }
        x.close();
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate was not opened within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Thrown to cut the connection. */
    private static final class BrokenOnPurpose extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokenOnPurpose() {
            super("the fake upstream cuts the connection on purpose", null, false, false);
        }
    }

    /** One request the fake received. */
    public static final class Received {
        private final String method;
        private final String path;
        private final String query;
        private final Map<String, List<String>> headers;
        private final byte[] body;
        private final long atNanos;
        final CompletableFuture<Long> clientGone = new CompletableFuture<>();
        volatile long headersSentAt;

        Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                long atNanos) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.body = body;
            this.atNanos = atNanos;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        public String query() {
            return query;
        }

        /** @return the headers, names in lower case */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** @param name any case @return the first value, or null */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public byte[] body() {
            return body.clone();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the upstream request body is not JSON: " + text(), e);
            }
        }

        public long atNanos() {
            return atNanos;
        }

        /** @return completed with {@link System#nanoTime()} when a write to the client failed (it went away) */
        public CompletableFuture<Long> clientGone() {
            return clientGone;
        }

        @Override
        public String toString() {
            String t = text();
            return method + " " + path + (query == null ? "" : "?" + query) + " " + headers + " "
                    + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /** What the fake answers. */
    public static final class Reply {

        enum Ending { END, BREAK, HOLD }

        private int status = 200;
        private String contentType;
        private byte[] body;
        private List<Object> steps;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private long delayMillis;
        private CountDownLatch gate;
        private Ending ending = Ending.END;
        private long holdEveryMillis;
        private byte[] holdEvent;

        private Reply() {
        }

        /** @param json the body @return a 200 {@code application/json} answer */
        public static Reply json(String json) {
            return json(200, json);
        }

        /** @param status the status @param json the body @return a JSON answer */
        public static Reply json(int status, String json) {
            Reply r = new Reply();
            r.status = status;
            r.contentType = "application/json";
            r.body = json.getBytes(StandardCharsets.UTF_8);
            return r;
        }

        /** @param json a tree @return a 200 JSON answer */
        public static Reply json(JsonNode json) {
            return json(json.toString());
        }

        /**
         * OpenAI's error answer {@code {"error":{"message","type","param","code"}}}.
         *
         * @param status the status
         * @param type e.g. {@code invalid_request_error}
         * @param code e.g. {@code context_length_exceeded}, or null
         * @param param the field, or null
         * @param message the message
         * @return the answer
         */
        public static Reply error(int status, String type, String code, String param, String message) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode e = root.putObject("error");
            e.put("message", message);
            e.put("type", type);
            e.put("param", param);
            e.put("code", code);
            return json(status, root.toString());
        }

        /** @param contentType the content type @param bytes the body @return a 200 answer of raw bytes */
        public static Reply bytes(String contentType, byte[] bytes) {
            Reply r = new Reply();
            r.contentType = contentType;
            r.body = bytes.clone();
            return r;
        }

        /** @return a 200 {@code text/event-stream} answer; add events, pauses, then how it ends */
        public static Reply sse() {
            Reply r = new Reply();
            r.contentType = "text/event-stream; charset=utf-8";
            r.steps = new ArrayList<>();
            return r;
        }

        /** @param data the data of one event, written as {@code data: ...\n\n} and flushed @return this */
        public Reply event(String data) {
            return raw("data: " + data + "\n\n");
        }

        /** @param text written as is, and flushed @return this */
        public Reply raw(String text) {
            steps.add(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** @param millis a pause between two writes @return this */
        public Reply pause(long millis) {
            steps.add(millis);
            return this;
        }

        /** @return this, with {@code data: [DONE]} appended */
        public Reply done() {
            return event("[DONE]");
        }

        /** @return this, cutting the connection after the steps (no last chunk) */
        public Reply thenBreak() {
            ending = Ending.BREAK;
            return this;
        }

        /**
         * After the steps, keeps sending {@code data} every {@code everyMillis} until a write fails (the client went
         * away: {@link Received#clientGone()} completes) or 60 s passed.
         *
         * @param everyMillis the interval
         * @param data the data of the event to repeat
         * @return this
         */
        public Reply thenHold(long everyMillis, String data) {
            return thenHoldRaw(everyMillis, "data: " + data + "\n\n");
        }

        /**
         * Like {@link #thenHold} with raw text, e.g. an SSE comment {@code ": ping\n\n"} (a silent upstream).
         *
         * @param everyMillis the interval
         * @param text written as is
         * @return this
         */
        public Reply thenHoldRaw(long everyMillis, String text) {
            ending = Ending.HOLD;
            holdEveryMillis = everyMillis;
            holdEvent = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** @param status the status (default 200) @return this */
        public Reply status(int status) {
            this.status = status;
            return this;
        }

        /** @param name a header @param value its value @return this */
        public Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** @param millis how long to wait before the status line @return this */
        public Reply delay(long millis) {
            delayMillis = millis;
            return this;
        }

        /** @param gate opened by the test when the answer may start @return this */
        public Reply gate(CountDownLatch gate) {
            this.gate = gate;
            return this;
        }
    }
}
