package dev.switchboard.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A vendor as a test needs it: a JDK {@link HttpServer} on a free loopback port that answers each path with
 * scripted {@link Reply replies} and records every request.
 *
 * <p>Per path, queued replies ({@link #enqueue}) are used first, one per request, then the standing reply
 * ({@link #on}); a path with neither answers 404 with a JSON body naming the path. Use it with
 * try-with-resources:
 *
 * <pre>{@code
 * try (FakeUpstream up = FakeUpstream.start()) {
 *     up.on("/v1/chat/completions", Reply.json("{...}"));
 *     TestChannel channel = TestChannel.builder().baseUrl(up.baseUrl() + "/v1").key("k").build();
 *     ...
 *     assertEquals("Bearer k", up.lastRequest().header("Authorization"));
 * }
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Deque<Reply>> queued = new LinkedHashMap<>();
    private final Map<String, Reply> standing = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-upstream");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts a fake upstream on a free loopback port.
     *
     * @return the running server
     * @throws IOException when no port can be bound
     */
    public static FakeUpstream start() throws IOException {
        FakeUpstream f = new FakeUpstream();
        f.server.start();
        return f;
    }

    /** @return {@code http://127.0.0.1:<port>}, without a trailing slash */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /**
     * Answers every request to {@code path} with {@code reply} (once queued replies are used up).
     *
     * @param path the exact path, e.g. {@code /v1/chat/completions}
     * @param reply the reply
     * @return this server
     */
    public synchronized FakeUpstream on(String path, Reply reply) {
        standing.put(path, reply);
        return this;
    }

    /**
     * Queues one-shot replies for {@code path}, used in order before the standing reply.
     *
     * @param path the exact path
     * @param replies the replies, one per request
     * @return this server
     */
    public synchronized FakeUpstream enqueue(String path, Reply... replies) {
        Deque<Reply> q = queued.computeIfAbsent(path, p -> new ArrayDeque<>());
        q.addAll(List.of(replies));
        return this;
    }

    /** @return the requests received so far, oldest first */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** @param path a path @return the requests received on it, oldest first */
    public synchronized List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** @return the last request received; an {@link AssertionError} when none came */
    public synchronized RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the fake upstream received no request");
        }
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            byte[] body = ex.getRequestBody().readAllBytes();
            Reply reply;
            synchronized (this) {
                requests.add(new RecordedRequest(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                        Map.copyOf(headers), body));
                Deque<Reply> q = queued.get(path);
                reply = q != null && !q.isEmpty() ? q.poll() : standing.get(path);
            }
            if (reply == null) {
                reply = Reply.json(404, "{\"error\":{\"message\":\"the fake upstream has no reply for "
                        + path.replace("\"", "") + "\"}}");
            }
            send(ex, reply);
        }
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        if (reply.contentType() != null) {
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (!reply.streamed()) {
            byte[] b = (byte[]) reply.parts().get(0);
            ex.sendResponseHeaders(reply.status(), b.length == 0 ? -1 : b.length);
            ex.getResponseBody().write(b);
            return;
        }
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(reply.status(), 0);
        OutputStream out = ex.getResponseBody();
        for (Object part : reply.parts()) {
            if (part instanceof Duration pause) {
                out.flush();
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else {
                out.write((byte[]) part);
                out.flush();
            }
        }
    }

    /** Stops the server at once and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeUpstream " + baseUrl();
    }
}
