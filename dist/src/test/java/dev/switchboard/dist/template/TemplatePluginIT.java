package dev.switchboard.dist.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.dist.Distribution;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.OpenAiAssertions;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.SseReader;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin guide's last step, for real: the template plugin (examples/plugin-template) is uploaded to a running
 * distribution through {@code POST /api/plugins}, and chat requests go through it to a fake Acme.
 */
@Timeout(90)
class TemplatePluginIT {

    private static final String ADMIN = "sb-admin-e2e-template-3c7d";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Distribution dist;
    private Distribution.Instance sb;
    private FakeUpstream acme;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        acme = FakeUpstream.start();
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        sb = dist.start().awaitHealthy();
    }

    @AfterEach
    void stop() {
        dist.close();
        acme.close();
    }

    @Test
    void theTemplateIsUploadedAndRelaysChatStreamsAndErrors() throws Exception {
        Path jar = Path.of(System.getProperty("switchboard.template.jar"));
        assertTrue(Files.isRegularFile(jar), "the template jar is not built: " + jar);

        HttpResponse<String> uploaded = upload(jar);
        assertTrue(uploaded.statusCode() / 100 == 2, uploaded.statusCode() + " " + uploaded.body());
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> {
            for (JsonNode p : sb.get("/api/plugins", ADMIN).json().path("data")) {
                if ("com.example.switchboard.acme".equals(p.path("symbolic_name").asText())) {
                    return "active".equals(p.path("state").asText())
                            && p.path("channel_types").toString().contains("acme");
                }
            }
            return false;
        }).isPresent(), "the acme plugin never became active: " + sb.get("/api/plugins", ADMIN) + sb.output());

        Distribution.Answer channel = sb.post("/api/channels", ADMIN, Map.of("name", "acme e2e", "type", "acme",
                "key", "acme-e2e-secret", "base_url", acme.baseUrl() + "/v1", "models", List.of("acme-large"),
                "config", Map.of("region", "eu")));
        assertEquals(201, channel.status(), channel.toString());
        long channelId = channel.json().path("id").asLong();
        Distribution.Answer token = sb.post("/api/tokens", ADMIN, Map.of("name", "acme client"));
        assertEquals(201, token.status(), token.toString());
        String key = token.json().path("key").asText();

        // A JSON answer.
        acme.enqueue("/v1/chat", Reply.json("{\"id\":\"a1\",\"created\":1700000000,\"reply\":{\"text\":\"Hi\"},"
                + "\"stop\":\"end\",\"tokens\":{\"in\":4,\"out\":1}}"));
        HttpResponse<String> r = chat(key, "{\"model\":\"acme-large\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        OpenAiAssertions.assertChatCompletion(body);
        assertEquals("Hi", body.at("/choices/0/message/content").asText());
        assertEquals("acme-e2e-secret", acme.lastRequest().header("X-Acme-Key"));
        assertEquals("eu", acme.lastRequest().header("X-Acme-Region"));

        // A stream: the core adds the usage chunk the client asked for and [DONE].
        acme.enqueue("/v1/chat", Reply.sse().data("{\"delta\":\"Hel\"}").pause(Duration.ofMillis(200))
                .data("{\"delta\":\"lo\"}").data("{\"stop\":\"end\",\"tokens\":{\"in\":4,\"out\":2}}").build());
        r = chat(key, "{\"model\":\"acme-large\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        List<SseEvent> events = SseReader.parse(r.body());
        assertEquals("[DONE]", events.get(events.size() - 1).data(), r.body());
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent e : events.subList(0, events.size() - 1)) {
            chunks.add(JSON.readTree(e.data()));
        }
        OpenAiAssertions.assertChatChunks(chunks);
        assertEquals("Hello", OpenAiAssertions.content(chunks));
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertEquals(0, usage.path("choices").size(), r.body());
        assertEquals(6, usage.at("/usage/total_tokens").asInt(), r.body());

        // Acme refuses the key: 502 for the client, and the channel is disabled with Acme's message.
        acme.enqueue("/v1/chat", Reply.json(401, "{\"err_code\":1001,\"err_msg\":\"invalid key\"}"));
        r = chat(key, "{\"model\":\"acme-large\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(502, r.statusCode(), r.body());
        OpenAiAssertions.assertErrorObject(JSON.readTree(r.body()));
        assertTrue(r.body().contains("[acme 1001] invalid key"), r.body());
        // The disable is written behind the answer: wait for it.
        Distribution.poll(Duration.ofSeconds(10), () -> "auto_disabled".equals(
                sb.get("/api/channels/" + channelId, ADMIN).json().path("status").asText()));
        JsonNode disabled = sb.get("/api/channels/" + channelId, ADMIN).json();
        assertEquals("auto_disabled", disabled.path("status").asText(), disabled.toString());
        assertTrue(disabled.path("status_reason").asText().contains("invalid key"), disabled.toString());
    }

    private HttpResponse<String> chat(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(sb.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(Path jar) throws Exception {
        String boundary = "----switchboard-e2e-template";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        b.writeBytes(Files.readAllBytes(jar));
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(sb.uri("/api/plugins")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
