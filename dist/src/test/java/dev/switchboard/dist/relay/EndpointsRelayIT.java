package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dist.relay.FakeUpstream.Received;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The other relay routes through the pass-through path: embeddings (float and base64), rerank, images,
 * moderations, legacy completions, speech (binary), transcriptions (a spooled multipart upload whose file comes
 * before its model) and translations, and the model list (ids with a '/').
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndpointsRelayIT {

    private static final String EMBED = "text-embedding-e2e";
    private static final String RERANK = "rerank-e2e";
    private static final String IMAGE = "image-e2e";
    private static final String MODERATION = "moderation-e2e";
    private static final String COMPLETION = "instruct-e2e";
    private static final String TTS = "tts-e2e";
    private static final String WHISPER = "whisper-e2e";
    private static final String WHISPER_UPSTREAM = "whisper-1-upstream";
    private static final String SLASHED = "deepseek-ai/DeepSeek-R1";
    private static final String BARE_BASE = "gpt-bare-base-e2e";
    /** Exactly representable as float32 and as short decimals, so the JSON and the base64 forms agree. */
    private static final float[] VECTOR = {0.125f, -0.5f, 0.0078125f, 1.0f, -3.75f, 0.0f};

    @RegisterExtension
    static final FakeRelay relay = new FakeRelay(Map.of());

    static RelayGateway.Token token;

    @BeforeAll
    static void start() {
        relay.gw().channel(obj("name", "fake openai", "type", "openai", "base_url", relay.fake().baseUrl(),
                "models", List.of(EMBED, RERANK, IMAGE, MODERATION, COMPLETION, TTS, WHISPER, SLASHED),
                "model_mapping", Map.of(WHISPER, WHISPER_UPSTREAM)));
        relay.gw().channel(obj("name", "base without path", "type", "openai",
                "base_url", "http://127.0.0.1:" + relay.fake().port(), "models", List.of(BARE_BASE),
                "config", Map.of("organization", "org-e2e-channel", "project", "proj_e2e")));
        token = relay.gw().token(obj("name", "endpoints e2e"));
    }

    /** Answers like OpenAI: floats, or base64 of little-endian float32 when {@code encoding_format} says so. */
    private static Reply embeddings(Received r) {
        JsonNode req = r.json();
        boolean base64 = "base64".equals(req.path("encoding_format").asText("float"));
        return Reply.json(embeddingsJson(req.path("input").isArray() ? req.path("input").size() : 1, base64));
    }

    private static String embeddingsJson(int n, boolean base64) {
        ObjectNode root = RelayGateway.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            if (base64) {
                ByteBuffer b = ByteBuffer.allocate(VECTOR.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : VECTOR) {
                    b.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode v = e.putArray("embedding");
                for (float f : VECTOR) {
                    v.add(f);
                }
            }
        }
        root.put("model", "text-embedding-3-small");
        root.putObject("usage").put("prompt_tokens", 8).put("total_tokens", 8);
        return root.toString();
    }

    @Test
    void embeddingsAsFloats() {
        relay.fake().on("/v1/embeddings", EndpointsRelayIT::embeddings);
        String body = "{\"model\":\"" + EMBED + "\",\"input\":[\"first\",\"second\"],\"encoding_format\":\"float\"}";
        RelayGateway.Answer a = relay.gw().post("/v1/embeddings", token.key(), body);
        assertEquals(200, a.status(), a.toString());
        Received up = relay.fake().only();
        assertEquals(body, up.text());
        assertEquals(embeddingsJson(2, false), a.text(), "the answer as the upstream sent it");
        JsonNode data = a.json().path("data");
        assertEquals(2, data.size(), a.toString());
        for (JsonNode e : data) {
            assertTrue(e.path("embedding").isArray(), "floats asked, floats given: " + a);
            for (int i = 0; i < VECTOR.length; i++) {
                assertEquals(VECTOR[i], e.path("embedding").get(i).floatValue(), 0.0f);
            }
        }
    }

    @Test
    void embeddingsAsBase64() {
        relay.fake().on("/v1/embeddings", EndpointsRelayIT::embeddings);
        String body = "{\"model\":\"" + EMBED + "\",\"input\":\"one text\",\"encoding_format\":\"base64\"}";
        RelayGateway.Answer a = relay.gw().post("/v1/embeddings", token.key(), body);
        assertEquals(200, a.status(), a.toString());
        assertEquals(body, relay.fake().only().text(), "encoding_format reaches the upstream as sent");
        assertEquals(embeddingsJson(1, true), a.text(), "the answer as the upstream sent it");
        JsonNode e = a.json().path("data").path(0).path("embedding");
        assertTrue(e.isTextual(), "base64 asked, base64 given: " + a);
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(e.asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(VECTOR.length * 4, b.remaining());
        for (float f : VECTOR) {
            assertEquals(f, b.getFloat(), 0.0f);
        }
        assertEquals(8, a.json().path("usage").path("prompt_tokens").asInt());
    }

    /** Sends {@code body} to {@code path} and checks the upstream got it as sent and the client got the answer as sent. */
    private void passThrough(String path, String body, String answer) {
        relay.fake().on(path, Reply.json(answer));
        RelayGateway.Answer a = relay.gw().post(path, token.key(), body);
        assertEquals(200, a.status(), path + ": " + a);
        Received up = relay.fake().only();
        assertEquals(path, up.path(), "relayed to {base}" + path.substring(3));
        assertEquals("POST", up.method());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, up.header("Authorization"));
        assertEquals(body, up.text(), path + ": the body goes upstream as sent");
        assertEquals(answer, a.text(), path + ": the answer comes back as sent");
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.headers().toString());
    }

    @Test
    void rerankIsRelayedToTheBaseRerankPath() {
        passThrough("/v1/rerank", "{\"model\":\"" + RERANK + "\",\"query\":\"what is a gateway\",\"documents\":"
                + "[\"a bridge\",\"a proxy for LLM APIs\",\"a door\"],\"top_n\":2,\"return_documents\":true}",
                "{\"id\":\"rerank-e2e\",\"model\":\"" + RERANK + "\",\"results\":[{\"index\":1,\"relevance_score\":0.98,"
                + "\"document\":{\"text\":\"a proxy for LLM APIs\"}},{\"index\":0,\"relevance_score\":0.12,"
                + "\"document\":{\"text\":\"a bridge\"}}],\"meta\":{\"tokens\":{\"input_tokens\":21,\"output_tokens\":0}},"
                + "\"usage\":{\"prompt_tokens\":21,\"total_tokens\":21}}");
    }

    @Test
    void imagesAreRelayed() {
        passThrough("/v1/images/generations", "{\"model\":\"" + IMAGE + "\",\"prompt\":\"a switchboard operator\","
                + "\"n\":1,\"size\":\"1024x1024\",\"response_format\":\"b64_json\",\"quality\":\"hd\"}",
                "{\"created\":1700000300,\"data\":[{\"b64_json\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
                + "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\",\"revised_prompt\":\"an operator at a 1920s switchboard\"}]}");
    }

    @Test
    void moderationsAreRelayed() {
        passThrough("/v1/moderations", "{\"model\":\"" + MODERATION + "\",\"input\":[\"hello\",\"world\"]}",
                "{\"id\":\"modr-e2e\",\"model\":\"omni-moderation-2024-09-26\",\"results\":[{\"flagged\":false,"
                + "\"categories\":{\"violence\":false},\"category_scores\":{\"violence\":1.2e-06}},{\"flagged\":false,"
                + "\"categories\":{\"violence\":false},\"category_scores\":{\"violence\":3.4e-07}}]}");
    }

    @Test
    void legacyCompletionsAreRelayed() {
        passThrough("/v1/completions", "{\"model\":\"" + COMPLETION + "\",\"prompt\":\"Say this is a test\","
                + "\"max_tokens\":7,\"echo\":false,\"suffix\":null}",
                "{\"id\":\"cmpl-e2e\",\"object\":\"text_completion\",\"created\":1700000400,\"model\":\"" + COMPLETION
                + "\",\"choices\":[{\"text\":\"This is a test\",\"index\":0,\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,"
                + "\"total_tokens\":9}}");
    }

    @Test
    void speechBytesAreRelayedIdentically() {
        byte[] audio = new byte[300_000];
        new Random(42).nextBytes(audio);
        audio[0] = (byte) 0xFF;
        audio[1] = (byte) 0xFB;
        relay.fake().on("/v1/audio/speech", Reply.bytes("audio/mpeg", audio));
        String body = "{\"model\":\"" + TTS + "\",\"input\":\"Hello there\",\"voice\":\"alloy\","
                + "\"response_format\":\"mp3\",\"speed\":1.0}";
        RelayGateway.Answer a = relay.gw().post("/v1/audio/speech", token.key(), body);
        assertEquals(200, a.status(), "status " + a.status());
        assertEquals("audio/mpeg", a.header("Content-Type"), "the upstream's content type: " + a.headers());
        assertArrayEquals(audio, a.bytes(), "the audio bytes are identical");
        String length = a.header("Content-Length");
        assertEquals(String.valueOf(audio.length), length, "the upstream's content length is passed on");
        Received up = relay.fake().only();
        assertEquals("/v1/audio/speech", up.path());
        assertEquals(body, up.text());
    }

    @Test
    void transcriptionWithFileBeforeModelIsSpooledAndStreamedUpstream() throws Exception {
        byte[] file = new byte[1_572_864 + 123];
        new Random(7).nextBytes(file);
        CountDownLatch gate = new CountDownLatch(1);
        String answer = "{\"text\":\"hello from the fake whisper\",\"usage\":{\"type\":\"duration\",\"seconds\":3}}";
        relay.fake().on("/v1/audio/transcriptions", Reply.json(answer).gate(gate));

        String boundary = "----e2eBoundary7MA4YWxkTrZu0gW";
        byte[] body = Multipart.build(boundary, List.of(
                Multipart.Part.file("file", "speech.mp3", "audio/mpeg", file),
                Multipart.Part.field("model", WHISPER),
                Multipart.Part.field("language", "en"),
                Multipart.Part.field("response_format", "json")));
        CompletableFuture<RelayGateway.Answer> pending = CompletableFuture.supplyAsync(() -> relay.gw().send(
                relay.gw().request("/v1/audio/transcriptions").header("Authorization", "Bearer " + token.key())
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))));

        Received up = relay.fake().awaitFirst(Duration.ofSeconds(20));
        Path uploads = relay.gw().home().resolve("data").resolve("cache").resolve("uploads");
        List<Long> spooled = files(uploads).stream().map(EndpointsRelayIT::size).toList();
        gate.countDown();
        RelayGateway.Answer a = pending.get(30, TimeUnit.SECONDS);

        assertEquals(200, a.status(), a.toString());
        assertEquals(answer, a.text());
        assertTrue(spooled.stream().anyMatch(s -> s >= 1_048_576),
                "the file part (1.5 MiB) was spooled to a temporary file in " + uploads + ": sizes " + spooled);
        assertTrue(eventually(() -> files(uploads).isEmpty()),
                "the temporary file is deleted after the answer: " + files(uploads));

        assertEquals("/v1/audio/transcriptions", up.path());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, up.header("Authorization"));
        List<Multipart.Part> parts = Multipart.parse(up.header("Content-Type"), up.body());
        assertEquals(List.of("file", "model", "language", "response_format"),
                parts.stream().map(Multipart.Part::name).toList(), "parts in the client's order: " + parts);
        Multipart.Part f = parts.get(0);
        assertEquals("speech.mp3", f.fileName());
        assertEquals("audio/mpeg", f.contentType());
        assertArrayEquals(file, f.bytes(), "the upstream received the whole file");
        assertEquals(WHISPER_UPSTREAM, parts.get(1).text(), "the mapped model");
        assertNull(parts.get(1).fileName());
        assertEquals("en", parts.get(2).text());
        assertEquals("json", parts.get(3).text());
    }

    @Test
    void translationWithModelFirstIsRelayed() {
        byte[] file = "RIFF....WAVEfmt a small in-memory upload".getBytes(StandardCharsets.US_ASCII);
        relay.fake().on("/v1/audio/translations", Reply.json("{\"text\":\"translated\"}"));
        String boundary = "e2e-translation-boundary";
        byte[] body = Multipart.build(boundary, List.of(
                Multipart.Part.field("model", WHISPER),
                Multipart.Part.file("file", "clip.wav", "audio/wav", file)));
        RelayGateway.Answer a = relay.gw().send(relay.gw().request("/v1/audio/translations")
                .header("Authorization", "Bearer " + token.key())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(200, a.status(), a.toString());
        assertEquals("{\"text\":\"translated\"}", a.text());
        List<Multipart.Part> parts = Multipart.parse(relay.fake().only().header("Content-Type"),
                relay.fake().only().body());
        assertEquals(WHISPER_UPSTREAM, parts.get(0).text());
        assertArrayEquals(file, parts.get(1).bytes());
    }

    @Test
    void baseUrlWithoutPathGetsV1AndTheChannelsOrganisationIsSent() {
        passThrough("/v1/chat/completions", "{\"model\":\"" + BARE_BASE + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}", Shapes.completion(BARE_BASE, "hi", 1, 1));
        Received up = relay.fake().only();
        assertEquals("org-e2e-channel", up.header("OpenAI-Organization"), up.headers().toString());
        assertEquals("proj_e2e", up.header("OpenAI-Project"), up.headers().toString());
    }

    @Test
    void modelListAndModelsWithSlashes() {
        RelayGateway.Answer list = relay.gw().get("/v1/models", token.key());
        assertEquals(200, list.status(), list.toString());
        assertEquals("list", list.json().path("object").asText());
        List<String> ids = new ArrayList<>();
        for (JsonNode m : list.json().path("data")) {
            ids.add(m.path("id").asText());
            assertEquals("model", m.path("object").asText(), m.toString());
            assertTrue(m.path("created").isIntegralNumber(), m.toString());
            assertTrue(m.path("owned_by").isTextual(), m.toString());
        }
        assertTrue(ids.containsAll(List.of(EMBED, RERANK, TTS, WHISPER, SLASHED)), "the channel's models: " + ids);
        assertFalse(ids.contains(WHISPER_UPSTREAM), "clients see the names they request, not upstream names: " + ids);

        RelayGateway.Answer one = relay.gw().get("/v1/models/" + SLASHED, token.key());
        assertEquals(200, one.status(), one.toString());
        assertEquals(SLASHED, one.json().path("id").asText());
        assertEquals("model", one.json().path("object").asText());

        // As SDKs send it: the id percent-encoded as one path segment.
        RelayGateway.Answer encoded = relay.gw().get("/v1/models/deepseek-ai%2FDeepSeek-R1", token.key());
        assertEquals(200, encoded.status(), encoded.toString());
        assertEquals(SLASHED, encoded.json().path("id").asText());

        RelayGateway.Answer missing = relay.gw().get("/v1/models/deepseek-ai/DeepSeek-R9", token.key());
        RelayGateway.assertError(missing, 404, "invalid_request_error", "model_not_found");
        assertTrue(relay.fake().requests().isEmpty(),
                "the model list is the gateway's own: " + relay.fake().requests());
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            // A file deleted during the walk: look again.
            return files(dir);
        } catch (UncheckedIOException e) {
            return files(dir);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        return dev.switchboard.dist.Distribution.poll(Duration.ofSeconds(5), condition).isPresent();
    }
}
