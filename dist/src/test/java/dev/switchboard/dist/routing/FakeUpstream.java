package dev.switchboard.dist.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible upstream on loopback (JDK HttpServer) whose behaviour a test switches at will. It
 * counts every chat request, in total and per first message content, so a test can tell which request reached
 * which upstream and how often. Local to the routing tests.
 */
final class FakeUpstream implements AutoCloseable {

    /** What the fake does with a chat request. */
    enum Behaviour {
        /** Answers: JSON, or an SSE stream when asked, with usage (5 + 7 tokens). */
        HEALTHY,
        /** Answers 500 with an OpenAI error body. */
        ERROR_500,
        /** Never answers (until closed). */
        STALL,
        /** Answers 401 invalid_api_key, as OpenAI does for a bad key. */
        INVALID_KEY,
        /** Starts a stream, sends two chunks, then drops the connection. */
        BREAK_STREAM,
        /** Answers like HEALTHY after 1.5 s. */
        SLOW,
        /** Streams ten chunks, 300 ms apart. */
        SLOW_STREAM
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> byContent = new ConcurrentHashMap<>();
    private final String name;
    private volatile Behaviour behaviour;

    FakeUpstream(String name, Behaviour behaviour) {
        this.name = name;
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return a base URL where nothing listens: connections are refused */
    static String refusing() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/v1";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the base URL a channel uses, e.g. {@code http://127.0.0.1:40000/v1} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void behave(Behaviour b) {
        behaviour = b;
    }

    /** @return chat requests seen */
    int requests() {
        return requests.get();
    }

    /** @param content a request's first message content @return how often this fake saw it */
    int requests(String content) {
        AtomicInteger n = byContent.get(content);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            requests.incrementAndGet();
            String content = body.path("messages").path(0).path("content").asText("");
            byContent.computeIfAbsent(content, k -> new AtomicInteger()).incrementAndGet();
            boolean stream = body.path("stream").asBoolean(false);
            String model = body.path("model").asText();
            switch (behaviour) {
                case ERROR_500 -> json(ex, 500, "{\"error\":{\"message\":\"" + name + " is failing\",\"type\":"
                        + "\"server_error\",\"param\":null,\"code\":null}}");
                case INVALID_KEY -> json(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-bad.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
                case STALL -> {
                    await(60_000);
                    json(ex, 500, "{\"error\":{\"message\":\"stalled\"}}");
                }
                case BREAK_STREAM -> {
                    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    for (int i = 0; i < 2; i++) {
                        out.write(chunk(model, "part" + i + " ").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    await(200);
                    // An exception out of the handler makes the server drop the connection mid-body.
                    throw new IllegalStateException("broken on purpose");
                }
                case SLOW -> {
                    await(1500);
                    answer(ex, model, stream, 1, 0);
                }
                case SLOW_STREAM -> answer(ex, model, true, 10, 300);
                default -> answer(ex, model, stream, 3, 0);
            }
            // Not for BREAK_STREAM: closing would end the chunked body cleanly.
            ex.close();
        }
    }

    private void answer(HttpExchange ex, String model, boolean stream, int chunks, long pauseMs) throws IOException {
        if (!stream) {
            json(ex, 200, "{\"id\":\"chatcmpl-" + name + "\",\"object\":\"chat.completion\",\"created\":1,"
                    + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"hello from " + name + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < chunks; i++) {
            out.write(chunk(model, i == 0 ? "hello from " + name : " " + i).getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (pauseMs > 0) {
                await(pauseMs);
            }
        }
        out.write(("data: {\"id\":\"chatcmpl-" + name + "\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,"
                + "\"total_tokens\":12}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private String chunk(String model, String text) {
        return "data: {\"id\":\"chatcmpl-" + name + "\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                + "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private void await(long millis) {
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
