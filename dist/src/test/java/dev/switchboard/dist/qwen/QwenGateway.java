package dev.switchboard.dist.qwen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dist.Distribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A started distribution with a fake DashScope beside it, an admin token and one relay token: what every qwen
 * end-to-end test needs. Channels are created per test class with {@link #channel}.
 */
final class QwenGateway implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "e2e-qwen-admin-token";

    final FakeDashScope fake = new FakeDashScope();
    final Distribution dist;
    final Distribution.Instance sb;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A relay answer: status, body, request id. */
    record Reply(int status, String body, String requestId, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        /** @return the {@code data:} payloads of an SSE body, in order ({@code [DONE]} included) */
        List<String> events() {
            List<String> out = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("data: ")) {
                    out.add(line.substring("data: ".length()));
                }
            }
            return out;
        }

        /** @return the JSON chunks of an SSE body, without {@code [DONE]} */
        List<JsonNode> chunks() {
            List<JsonNode> out = new ArrayList<>();
            for (String e : events()) {
                if (!e.equals("[DONE]")) {
                    try {
                        out.add(JSON.readTree(e));
                    } catch (IOException ex) {
                        throw new AssertionError("an event is not JSON: " + e, ex);
                    }
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    QwenGateway(Path tmp) {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        sb = dist.start().awaitHealthy();
        Distribution.Answer t = sb.post("/api/tokens", ADMIN, Map.of("name", "qwen e2e"));
        assertEquals(201, t.status(), t.toString());
        token = t.json().path("key").asText();
    }

    /**
     * Creates a qwen channel pointing at the fake.
     *
     * @param name the channel name
     * @param key the vendor key
     * @param basePath what follows the fake's root in base_url, e.g. {@code ""} or {@code /compatible-mode/v1}
     * @param config the channel's config
     * @param mapping client model name -> upstream model name; its keys are the channel's models
     * @param priority the priority
     * @return the channel id
     */
    long channel(String name, String key, String basePath, Map<String, Object> config, Map<String, String> mapping,
            int priority) {
        Distribution.Answer c = sb.post("/api/channels", ADMIN, Map.of("name", name, "type", "qwen", "key", key,
                "base_url", fake.root() + basePath, "models", List.copyOf(mapping.keySet()), "model_mapping", mapping,
                "config", config, "priority", priority));
        assertEquals(201, c.status(), c.toString());
        return c.json().path("id").asLong();
    }

    /** @param body a JSON body @return the answer of POST /v1/chat/completions */
    Reply chat(Object body) {
        return post("/v1/chat/completions", body);
    }

    /**
     * @param path a relay path
     * @param body its JSON body (a string or something Jackson writes)
     * @return the answer, read whole (streams until their end)
     */
    Reply post(String path, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest r = HttpRequest.newBuilder(sb.uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build();
            HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Reply(a.statusCode(), a.body(), a.headers().firstValue("X-Request-Id").orElse(null),
                    a.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @param id a channel id @return the channel as the admin API shows it */
    JsonNode channelView(long id) {
        return sb.get("/api/channels/" + id, ADMIN).json();
    }

    /**
     * Waits for the request log line ({@code switchboard.requests} on stdout) of a request.
     *
     * @param requestId the request id the client got in {@code X-Request-Id}
     * @return the line's {@code key=value} fields
     */
    Map<String, String> logLine(String requestId) {
        // slf4j-simple shows the logger's short name ("requests") unless configured otherwise.
        Pattern line = Pattern.compile("(?:switchboard\\.)?requests - " + Pattern.quote(requestId) + " (.*)");
        Optional<Duration> seen = Distribution.poll(Duration.ofSeconds(10), () -> line.matcher(sb.stdout()).find());
        if (seen.isEmpty()) {
            throw new AssertionError("no request log line for " + requestId + sb.output());
        }
        Matcher m = line.matcher(sb.stdout());
        m.find();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Matcher kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(m.group(1));
        while (kv.find()) {
            fields.put(kv.group(1), kv.group(2));
        }
        return fields;
    }

    /** @return a JSON object builder: {@code obj("a", 1, "b", "x")} */
    static ObjectNode obj(Object... keysAndValues) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return o;
    }

    /** @param content a user message @return {@code [{"role":"user","content":...}]} */
    static List<Map<String, Object>> userSays(String content) {
        return List.of(Map.of("role", "user", "content", content));
    }

    @Override
    public void close() {
        try {
            dist.close();
        } finally {
            fake.close();
        }
    }
}
