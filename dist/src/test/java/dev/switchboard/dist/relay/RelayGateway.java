package dev.switchboard.dist.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dist.Distribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A started distribution configured for relay tests: a known admin token, helpers to create channels and tokens
 * through the admin API, and a client for {@code /v1/} that keeps every answer it got so a test class can check
 * at the end that no vendor key ever reached a client or the gateway's output.
 */
final class RelayGateway implements AutoCloseable {

    static final String ADMIN = "sb-admin-e2e-relay-6b1f0c2d9e";
    /** The vendor key every test channel uses: recognisable, so any leak is found by a plain search. */
    static final String VENDOR_KEY = "sk-vendor-e2e-LEAKCHECK-7f3a9c51d2";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Distribution dist;
    private final Distribution.Instance sb;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());

    private RelayGateway(Distribution dist, Distribution.Instance sb) {
        this.dist = dist;
        this.sb = sb;
        this.port = sb.port();
    }

    /**
     * @param tmp a folder for the copy of the distribution
     * @param env extra {@code SWITCHBOARD_*} variables
     * @return a healthy gateway
     */
    static RelayGateway start(Path tmp, Map<String, String> env) {
        Distribution d = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        env.forEach(d::env);
        try {
            return new RelayGateway(d, d.start().awaitHealthy());
        } catch (RuntimeException | AssertionError e) {
            d.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    Distribution.Instance instance() {
        return sb;
    }

    Path home() {
        return dist.home();
    }

    /** @return the base URL of the relay, {@code http://127.0.0.1:PORT/v1} */
    String v1() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /**
     * Ends a test class: checks that no vendor key leaked, then stops the gateway and the fakes, whatever failed.
     *
     * @param gw the gateway, or null when it never started
     * @param others fakes and clients to close, null ones skipped
     */
    static void finish(RelayGateway gw, AutoCloseable... others) {
        try {
            if (gw != null) {
                gw.assertNoVendorKeyLeaked();
            }
        } finally {
            if (gw != null) {
                gw.close();
            }
            for (AutoCloseable c : others) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        dist.close();
    }

    /** An answer of the gateway. */
    record Answer(int status, Map<String, List<String>> headers, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text(), e);
            }
        }

        /** @param name any case @return the first value or null */
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + (t.length() > 2000 ? t.substring(0, 2000) + "..." : t);
        }
    }

    /** @param path a path on the gateway @return a request builder for it */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    /** Sends a request; its answer is kept for the leak check. */
    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Answer a = new Answer(r.statusCode(), r.headers().map(), r.body());
            record(a);
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Keeps an answer (headers and body) for {@link #assertNoVendorKeyLeaked()}. */
    void record(Answer a) {
        answers.add(a.headers() + "\n" + a.text());
    }

    /** Keeps any text a client received for {@link #assertNoVendorKeyLeaked()}. */
    void record(String received) {
        answers.add(received);
    }

    /** @param path a relay path @param token the bearer token (null for none) @param json the body @return the answer */
    Answer post(String path, String token, String json) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    /** @param path a relay path @param token the bearer token (null for none) @return the answer */
    Answer get(String path, String token) {
        HttpRequest.Builder b = request(path).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    /** @param path an admin path @param json the body @return the answer (the admin token is used) */
    Answer admin(String method, String path, Object json) {
        String body;
        try {
            body = json == null ? "" : json instanceof String s ? s : JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path).header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Creates a channel; the vendor key is {@link #VENDOR_KEY} unless the fields name one.
     *
     * @param fields the channel's fields, e.g. {@code obj("name","x","type","openai","base_url",...)}
     * @return its id
     */
    long channel(Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.putIfAbsent("key", VENDOR_KEY);
        Answer a = admin("POST", "/api/channels", f);
        assertEquals(201, a.status(), "channel created: " + a);
        return a.json().path("id").asLong();
    }

    /** A relay token: its id and its key. */
    record Token(long id, String key) {
    }

    /** @param fields the token's fields @return the new token */
    Token token(Map<String, Object> fields) {
        Answer a = admin("POST", "/api/tokens", fields);
        assertEquals(201, a.status(), "token created: " + a);
        String key = a.json().path("key").asText();
        assertTrue(key.startsWith("sk-"), "the key is shown once: " + a);
        return new Token(a.json().path("id").asLong(), key);
    }

    /**
     * Waits for the request log line of a request ({@code switchboard.requests}, one per relayed request), then
     * a little longer, and returns every such line for it (a test asserts there is exactly one).
     *
     * @param requestId the request's {@code X-Request-Id}
     * @return the lines
     */
    List<String> requestLogLines(String requestId) {
        Pattern line = Pattern.compile("(?m)^.* requests - " + Pattern.quote(requestId) + " .*$");
        Distribution.poll(Duration.ofSeconds(10), () -> line.matcher(sb.stdout()).find());
        Distribution.poll(Duration.ofMillis(500), () -> false);
        List<String> found = new ArrayList<>();
        Matcher m = line.matcher(sb.stdout());
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Checks every answer the tests got, and the gateway's whole output, for the vendor key. */
    void assertNoVendorKeyLeaked() {
        String secret = VENDOR_KEY;
        // Also the distinctive middle part alone, in case something reformats or cuts the key.
        String middle = "LEAKCHECK-7f3a9c51d2";
        synchronized (answers) {
            assertFalse(answers.isEmpty(), "answers were recorded");
            for (String a : answers) {
                assertFalse(a.contains(secret) || a.contains(middle), "an answer contains the vendor key: " + a);
            }
        }
        String out = sb.stdout() + sb.stderr();
        assertNotNull(out);
        assertFalse(out.contains(middle), "the gateway's output contains the vendor key" + sb.output());
    }

    /** Checks the error shape of the relay contract; returns the error object. */
    static JsonNode assertError(Answer a, int status, String type, String code) {
        assertEquals(status, a.status(), "status: " + a);
        assertNotNull(a.header("X-Request-Id"), "X-Request-Id on every answer: " + a.headers());
        String ct = a.header("Content-Type");
        assertTrue(ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/json"), "JSON error: " + ct);
        return assertErrorShape(a.json(), type, code, a.text());
    }

    /** Checks {@code {"error":{"message","type","param","code"}}} with string code, and no stack trace. */
    static JsonNode assertErrorShape(JsonNode body, String type, String code, String raw) {
        JsonNode e = body.path("error");
        assertTrue(e.isObject(), "an error object: " + raw);
        for (String field : new String[] {"message", "type", "param", "code"}) {
            assertTrue(e.has(field), "error." + field + " present: " + raw);
        }
        assertTrue(e.get("message").isTextual() && !e.get("message").asText().isBlank(), "message: " + raw);
        assertTrue(e.get("code").isTextual(), "code is a string: " + raw);
        assertTrue(e.get("param").isNull() || e.get("param").isTextual(), "param null or a string: " + raw);
        assertEquals(type, e.get("type").asText(), "type: " + raw);
        assertEquals(code, e.get("code").asText(), "code: " + raw);
        assertFalse(Pattern.compile("\\bat [a-z]+(\\.[a-zA-Z0-9_$]+)+\\(").matcher(raw).find()
                || raw.contains("\tat ") || raw.contains("Caused by:"), "no stack trace: " + raw);
        return e;
    }

    /** @return a JSON object as a map, keys in order: {@code obj("name", "x", "priority", 3)} */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** @param s a JSON text @return it parsed */
    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
