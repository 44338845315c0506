package dev.switchboard.dist.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A started gateway for the routing tests: its admin calls and relay requests with any header. */
final class Gateway {

    static final String ADMIN = "e2e-routing-admin-token";

    private final Distribution.Instance sb;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    Gateway(Distribution.Instance sb) {
        this.sb = sb;
    }

    Distribution.Instance instance() {
        return sb;
    }

    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Creates an openai channel pointing at a base URL. @return its id */
    long channel(String name, String baseUrl, int priority, List<String> models, Object... more) {
        Map<String, Object> body = obj("name", name, "type", "openai", "key", "sk-e2e-" + name + "-0123456789",
                "base_url", baseUrl, "models", models, "priority", priority);
        body.putAll(obj(more));
        Distribution.Answer a = sb.post("/api/channels", ADMIN, body);
        assertEquals(201, a.status(), a.toString());
        return a.json().path("id").asLong();
    }

    JsonNode channel(long id) {
        return sb.get("/api/channels/" + id, ADMIN).json();
    }

    /** Creates a relay token (owned by root, as the admin token makes it). @return its key */
    String token(Object... fields) {
        Distribution.Answer a = sb.post("/api/tokens", ADMIN, obj(fields));
        assertEquals(201, a.status(), a.toString());
        return a.json().path("key").asText();
    }

    static Map<String, Object> chatBody(String model, String content, boolean stream) {
        return obj("model", model, "stream", stream, "messages", List.of(obj("role", "user", "content", content)));
    }

    Distribution.Answer chat(String token, String model, String content, boolean stream, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(sb.uri("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(FakeUpstream.JSON.writeValueAsString(
                            chatBody(model, content, stream))));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Distribution.Answer(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Sends a raw HTTP/1.1 request from a chosen local address and reads the whole answer.
     *
     * @return the status line and everything after it
     */
    String raw(String localAddress, String head, String body) {
        try (Socket s = socket(localAddress)) {
            send(s, head, body);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a connected socket, bound to a local loopback address of the test's choice */
    Socket socket(String localAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress("127.0.0.1", sb.port()), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    static void send(Socket s, String head, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write((head + "Content-Type: application/json\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(b);
        out.flush();
    }

    /** @return the request head of a chat call, without the blank line */
    String chatHead(String token, String... headers) {
        StringBuilder h = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + sb.port()
                + "\r\nAuthorization: Bearer " + token + "\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return h.toString();
    }

    static String json(Object o) {
        try {
            return FakeUpstream.JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the request log lines (logger switchboard.requests) printed so far that contain a text */
    List<String> logLines(String containing) {
        return (sb.stdout() + sb.stderr()).lines().filter(l -> l.contains(" requests - "))
                .filter(l -> l.contains(containing)).toList();
    }

}
