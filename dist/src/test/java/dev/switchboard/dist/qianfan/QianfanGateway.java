package dev.switchboard.dist.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dist.Distribution;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built distribution with its shipped plugins, a fake Qianfan upstream on loopback and a relay token: what
 * every qianfan end-to-end test starts from.
 */
final class QianfanGateway implements AutoCloseable {

    static final String ADMIN = "e2e-qianfan-admin-token";
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeQianfan fake = FakeQianfan.start();
    final Distribution dist;
    final Distribution.Instance sb;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    QianfanGateway(Path tmp) {
        // These tests provoke every error class on a few shared channels, on purpose: circuit breakers would
        // (rightly) open and hide the translations under test, so they are off here (routing tests cover them).
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_BREAKER_ENABLED", "false");
        sb = dist.start().awaitHealthy();
        Distribution.Answer t = sb.post("/api/tokens", ADMIN, map("name", "qianfan e2e"));
        assertEquals(201, t.status(), t.toString());
        token = t.json().path("key").asText();
    }

    /** @param keysAndValues alternating keys and values @return an ordered map, for JSON bodies */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** @param fields the channel @return its id */
    long channel(Map<String, Object> fields) {
        Distribution.Answer a = sb.post("/api/channels", ADMIN, fields);
        assertEquals(201, a.status(), a.toString());
        return a.json().path("id").asLong();
    }

    /** @param name a name @param models the models @return a v1 channel on the fake */
    long v1Channel(String name, List<String> models) {
        return channel(map("name", name, "type", "qianfan", "key", fake.v1Key(), "base_url", fake.baseUrl(),
                "models", models, "config", map("api_version", "v1")));
    }

    /** @param name a name @param models the models @return a v2 channel on the fake, base given without path */
    long v2Channel(String name, List<String> models) {
        return channel(map("name", name, "type", "qianfan", "key", FakeQianfan.V2_KEY + "|app-e2e", "base_url",
                fake.baseUrl(), "models", models, "config", map("api_version", "v2")));
    }

    /** @param id a channel @return it, as the admin API shows it */
    JsonNode channelView(long id) {
        return sb.get("/api/channels/" + id, ADMIN).json();
    }

    /** An answer of the relay. */
    record Answer(int status, String contentType, String requestId, String body, List<Event> events) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        JsonNode error() {
            return json().path("error");
        }

        /** @return the data of every event that is not [DONE], parsed */
        List<JsonNode> chunks() {
            List<JsonNode> out = new ArrayList<>();
            for (Event e : events) {
                if (!e.data().equals("[DONE]")) {
                    try {
                        out.add(JSON.readTree(e.data()));
                    } catch (IOException ex) {
                        throw new AssertionError("not JSON: " + e.data(), ex);
                    }
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (events.isEmpty() ? body : events.toString());
        }
    }

    /** One {@code data:} line of a stream and when it arrived. @param data its value @param nanos arrival */
    record Event(String data, long nanos) {
        @Override
        public String toString() {
            return data;
        }
    }

    /** Sends to the relay and reads the answer, as events when it streams. */
    Answer relay(String path, Object body) {
        try {
            HttpRequest r = HttpRequest.newBuilder(sb.uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
                            : JSON.writeValueAsString(body))).build();
            HttpResponse<Stream<String>> a = http.send(r, HttpResponse.BodyHandlers.ofLines());
            String type = a.headers().firstValue("Content-Type").orElse("");
            String id = a.headers().firstValue("X-Request-Id").orElse(null);
            List<Event> events = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            try (Stream<String> lines = a.body()) {
                lines.forEach(line -> {
                    text.append(line).append('\n');
                    if (line.startsWith("data: ")) {
                        events.add(new Event(line.substring(6), System.nanoTime()));
                    }
                });
            }
            return new Answer(a.statusCode(), type, id, text.toString(), type.startsWith("text/event-stream")
                    ? events : List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final Pattern LOG_FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    /** @param requestId a request @return the fields of its request log line, waited for */
    Map<String, String> logLine(String requestId) {
        Optional<String> line = Optional.empty();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (line.isEmpty() && System.nanoTime() < end) {
            // The "switchboard.requests" logger, shown by its short name.
            line = sb.stdout().lines().filter(l -> l.contains(" requests - " + requestId + " ")).findFirst();
            if (line.isEmpty()) {
                sleep(50);
            }
        }
        assertTrue(line.isPresent(), "no request log line for " + requestId + sb.output());
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = LOG_FIELD.matcher(line.get());
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts the relay contract's error body for an upstream error. */
    static void assertUpstreamError(Answer a, int status, String type, String code, String vendorCode,
            String messageStart, long channelId) {
        assertEquals(status, a.status(), a.toString());
        assertTrue(a.contentType().startsWith("application/json"), a.toString());
        JsonNode e = a.error();
        assertEquals(type, e.path("type").asText(), a.toString());
        assertEquals(code, e.path("code").asText(), a.toString());
        assertTrue(e.path("code").isTextual(), "code is a string");
        if (vendorCode != null) {
            assertEquals(vendorCode, e.path("vendor_code").asText(), a.toString());
            assertTrue(e.path("vendor_code").isTextual(), "vendor_code is a string");
        }
        assertTrue(e.path("message").asText().startsWith(messageStart), a.toString());
        assertEquals(channelId, e.path("channel_id").asLong(), a.toString());
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
