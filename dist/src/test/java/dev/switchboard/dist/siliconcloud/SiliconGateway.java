package dev.switchboard.dist.siliconcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dist.Distribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One distribution (as shipped, the siliconcloud jar in {@code plugins/}) and one fake SiliconFlow, shared by
 * the tests of a class: an admin token, a relay token, and helpers to add channels pointing at the fake and to
 * call the relay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class SiliconGateway {

    static final String ADMIN = "e2e-siliconcloud-admin-token";
    static final ObjectMapper JSON = new ObjectMapper();

    // Static: JUnit fills instance @TempDir fields only per test, after @BeforeAll.
    @TempDir
    static Path tmp;

    Distribution dist;
    Distribution.Instance sb;
    FakeSiliconFlow fake;
    String relayKey;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startGateway() throws IOException {
        fake = FakeSiliconFlow.start();
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        sb = dist.start().awaitHealthy();
        relayKey = created("/api/tokens", obj("name", "e2e siliconcloud client")).path("key").asText();
    }

    @AfterAll
    void stopGateway() {
        if (dist != null) {
            dist.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static List<Map<String, Object>> userSays(String text) {
        return List.of(obj("role", "user", "content", text));
    }

    JsonNode created(String path, Object body) {
        Distribution.Answer a = sb.post(path, ADMIN, body);
        assertEquals(201, a.status(), path + ": " + a);
        return a.json();
    }

    /**
     * Adds a siliconcloud channel on the fake.
     *
     * @param name the channel's name
     * @param key its vendor key (the fake's behaviour depends on it)
     * @param models the models it lists
     * @return its id
     */
    long channel(String name, String key, String... models) {
        return created("/api/channels", obj("name", name, "type", "siliconcloud", "key", key,
                "base_url", fake.baseUrl(), "models", List.of(models))).path("id").asLong();
    }

    /** @return a relay call with the relay token, e.g. {@code relay("/v1/chat/completions", body)} */
    Distribution.Answer relay(String path, Object body) {
        return sb.post(path, relayKey, body);
    }

    /** A POST answered as bytes (speech). */
    HttpResponse<byte[]> relayBytes(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(sb.uri(path)).header("Authorization", "Bearer " + relayKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A multipart POST (transcription). */
    HttpResponse<byte[]> relayMultipart(String path, byte[] body, String boundary) {
        return send(HttpRequest.newBuilder(sb.uri(path)).header("Authorization", "Bearer " + relayKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String requestId(Distribution.Answer a) {
        List<String> ids = a.headers().get("x-request-id");
        if (ids == null || ids.isEmpty()) {
            throw new AssertionError("no X-Request-Id on " + a);
        }
        return ids.get(0);
    }

    /**
     * The request log line ({@code switchboard.requests}) of one request, waited for.
     *
     * @param requestId the request id
     * @return the line's fields after the id
     */
    String requestLog(String requestId) {
        Pattern line = Pattern.compile(Pattern.quote(requestId) + " (token=[^\\n]*)");
        return sb.awaitStdout(line, Duration.ofSeconds(10)).group(1);
    }

    /** @return how many request log lines name this request */
    int requestLogLines(String requestId) {
        Matcher m = Pattern.compile(Pattern.quote(requestId) + " token=").matcher(sb.stdout());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static long logged(String logLine, String field) {
        Matcher m = Pattern.compile("\\b" + field + "=(-?\\d+)").matcher(logLine);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in " + logLine);
        }
        return Long.parseLong(m.group(1));
    }

    /** The {@code data:} payloads of an event stream, in order, {@code [DONE]} included. */
    static List<String> events(String stream) {
        List<String> out = new ArrayList<>();
        for (String event : stream.split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String l : event.split("\n")) {
                if (l.startsWith("data: ")) {
                    data.append(data.length() == 0 ? "" : "\n").append(l.substring(6));
                }
            }
            if (data.length() > 0) {
                out.add(data.toString());
            }
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
