package dev.switchboard.plugin.qianfan.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Baidu Qianfan upstream on loopback that speaks the wire format of providers.md section 2: the v1 token
 * endpoint ({@code /oauth/2.0/token}), v1 chat / embeddings / reranker under {@code /rpc/2.0/ai_custom/v1/
 * wenxinworkshop/} with HTTP-200 {@code error_code} bodies and {@code is_end} streams without {@code [DONE]},
 * and v2 ({@code /v2/chat/completions}, {@code /v2/embeddings}, {@code /v2/rerankers}) with Bearer auth and
 * OpenAI-shaped answers, errors and streams.
 *
 * <p>Tests steer it: {@link #script} queues one-shot answers, {@link #expireTokens} / {@link #revokeTokens}
 * make issued tokens answer 111 / 110, {@link #tokenDelay} slows the exchange, {@link #streamPause} spaces
 * stream events. It records every call ({@link #calls}) and counts token exchanges.
 *
 * <pre>{@code
 * try (FakeQianfan fake = FakeQianfan.start()) {
 *     fake.baseUrl();                       // http://127.0.0.1:port  (v1 base; v2 base is baseUrl() + "/v2")
 *     fake.script("/chat/", FakeQianfan.v1Error(18, "Open api qps request limit reached"));
 * }
 * }</pre>
 */
public final class FakeQianfan implements AutoCloseable {

    /** The API key the fake accepts by default. */
    public static final String API_KEY = "fake-api-key";
    /** The secret key the fake accepts by default. */
    public static final String SECRET_KEY = "fake-secret-key";
    /** The v2 bearer token the fake accepts by default. */
    public static final String V2_KEY = "bce-v3/ALTAK-fake/0123456789abcdef";

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    final Map<String, String> credentials = new ConcurrentHashMap<>(Map.of(API_KEY, SECRET_KEY));
    final Map<String, TokenState> tokens = new ConcurrentHashMap<>();
    final ConcurrentLinkedDeque<Scripted> scripts = new ConcurrentLinkedDeque<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenExchanges = new AtomicInteger();
    final AtomicInteger ids = new AtomicInteger();
    volatile long tokenLifetimeSeconds = 2_592_000;
    volatile Duration tokenDelay = Duration.ZERO;
    volatile Duration streamPause = Duration.ZERO;
    volatile String v2Key = V2_KEY;

    /** What an issued token answers. */
    enum TokenState { VALID, EXPIRED, REVOKED }

    /**
     * A one-shot answer for the next call whose path contains {@code pathPart}.
     *
     * @param pathPart e.g. {@code /chat/} or {@code /v2/rerankers}
     * @param status the HTTP status
     * @param contentType the content type
     * @param body the body
     */
    public record Scripted(String pathPart, int status, String contentType, String body) {
    }

    /**
     * A call the fake received.
     *
     * @param method the method
     * @param path the path
     * @param query the decoded query parameters
     * @param headers the headers (names lower-cased, first values)
     * @param body the body as text
     */
    public record Call(String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) {

        /** @return the body as JSON */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private FakeQianfan() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-qianfan");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        FakeV1 v1 = new FakeV1(this);
        FakeV2 v2 = new FakeV2(this);
        server.createContext("/oauth/2.0/token", v1::token);
        server.createContext("/rpc/2.0/ai_custom/v1/wenxinworkshop/", v1::call);
        server.createContext("/v2/", v2::call);
        server.createContext("/", ex -> send(ex, 404, "text/html", "<html><body>Not Found</body></html>"));
        server.start();
    }

    /** @return a started fake */
    public static FakeQianfan start() {
        try {
            return new FakeQianfan();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code http://127.0.0.1:port}, the v1 base URL */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the v2 base URL, {@code baseUrl() + "/v2"} */
    public String v2BaseUrl() {
        return baseUrl() + "/v2";
    }

    /** @return the v1 channel key the fake accepts, {@code API_KEY|SECRET_KEY} */
    public String v1Key() {
        return API_KEY + "|" + SECRET_KEY;
    }

    /** @param apiKey another accepted API key @param secretKey its secret @return this */
    public FakeQianfan credentials(String apiKey, String secretKey) {
        credentials.put(apiKey, secretKey);
        return this;
    }

    /** @param key the v2 bearer token to accept @return this */
    public FakeQianfan v2Key(String key) {
        this.v2Key = key;
        return this;
    }

    /** @param seconds the {@code expires_in} of tokens issued from now on @return this */
    public FakeQianfan tokenLifetime(long seconds) {
        this.tokenLifetimeSeconds = seconds;
        return this;
    }

    /** @param delay how long the token endpoint waits before answering @return this */
    public FakeQianfan tokenDelay(Duration delay) {
        this.tokenDelay = delay;
        return this;
    }

    /** @param pause the pause between two stream events @return this */
    public FakeQianfan streamPause(Duration pause) {
        this.streamPause = pause;
        return this;
    }

    /** Makes every token issued so far answer error 111 (expired). */
    public void expireTokens() {
        tokens.replaceAll((t, s) -> TokenState.EXPIRED);
    }

    /** Makes every token issued so far answer error 110 (invalid). */
    public void revokeTokens() {
        tokens.replaceAll((t, s) -> TokenState.REVOKED);
    }

    /** @return how many token exchanges were answered with a token or an error */
    public int tokenExchanges() {
        return tokenExchanges.get();
    }

    /** @param answer a one-shot answer, used by the next call whose path contains its part @return this */
    public FakeQianfan script(Scripted answer) {
        scripts.add(answer);
        return this;
    }

    /** @return the calls received, oldest first (token exchanges included) */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** @param pathPart part of a path @return the calls whose path contains it */
    public List<Call> calls(String pathPart) {
        return calls.stream().filter(c -> c.path().contains(pathPart)).toList();
    }

    /** Forgets the recorded calls and scripts (tokens stay valid). */
    public void reset() {
        calls.clear();
        scripts.clear();
    }

    /**
     * @param pathPart where it applies
     * @param code Baidu's error_code
     * @param message its error_msg
     * @return an HTTP-200 v1 error answer
     */
    public static Scripted v1Error(String pathPart, long code, String message) {
        return new Scripted(pathPart, 200, "application/json", "{\"error_code\":" + code + ",\"error_msg\":\""
                + message + "\"}");
    }

    /**
     * @param pathPart where it applies
     * @param status the HTTP status
     * @param code the v2 error code
     * @param message the message
     * @return a v2 error answer
     */
    public static Scripted v2Error(String pathPart, int status, String code, String message) {
        return new Scripted(pathPart, status, "application/json", "{\"error\":{\"code\":\"" + code
                + "\",\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"},\"id\":\"as-fakeerr\"}");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- shared by FakeV1 and FakeV2 ------------------------------------------------------------------------

    Call record(HttpExchange ex) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Call c = new Call(ex.getRequestMethod(), ex.getRequestURI().getPath(), query(ex.getRequestURI().getRawQuery()),
                headers, body);
        calls.add(c);
        return c;
    }

    /** @return the scripted answer for this path, if one waits */
    Scripted scripted(String path) {
        for (Scripted s : scripts) {
            if (path.contains(s.pathPart()) && scripts.remove(s)) {
                return s;
            }
        }
        return null;
    }

    String nextId() {
        return String.format("as-fake%05d", ids.incrementAndGet());
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", body instanceof String s ? s : JSON.writeValueAsString(body));
    }

    /** Writes server-sent events as they come, each {@code data: <json>} and a blank line, then closes. */
    void stream(HttpExchange ex, List<String> events) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream;charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < events.size(); i++) {
                if (i > 0 && !streamPause.isZero()) {
                    sleep(streamPause);
                }
                out.write(("data: " + events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the characters of every text in a chat body: the fake's prompt token count. */
    static long promptTokens(JsonNode body) {
        long n = body.path("system").asText("").length();
        for (JsonNode m : body.path("messages")) {
            n += m.path("content").asText("").length();
        }
        return Math.max(1, n);
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
