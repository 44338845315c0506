package dev.switchboard.dist.siliconcloud;

import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.EMBEDDING;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.EMBEDDING_8B;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.IMAGE;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.RERANK;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.RERANK_TOP_LEVEL_TOKENS;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.SPEECH;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.TRANSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Embeddings, rerank, images, speech and transcription through a siliconcloud channel. */
class SiliconEndpointsIT extends SiliconGateway {

    private static final List<String> DOCUMENTS = List.of("bananas are yellow", "an apple a day",
            "apple pie with apple slices", "the weather today");

    @BeforeAll
    void addChannel() {
        channel("siliconflow endpoints", FakeSiliconFlow.GOOD_KEY, EMBEDDING, EMBEDDING_8B, RERANK,
                RERANK_TOP_LEVEL_TOKENS, IMAGE, SPEECH, TRANSCRIPTION);
    }

    @Test
    void embeddingsAsFloats() {
        Distribution.Answer a = relay("/v1/embeddings", obj("model", EMBEDDING, "input", List.of("first", "second"),
                "encoding_format", "float"));
        assertEquals(200, a.status(), a.toString());
        JsonNode data = a.json().path("data");
        assertEquals(2, data.size(), a.toString());
        for (int i = 0; i < 2; i++) {
            float[] expected = FakeSiliconFlow.vector(i, 8);
            JsonNode e = data.path(i).path("embedding");
            assertTrue(e.isArray(), e.toString());
            float[] got = new float[e.size()];
            for (int d = 0; d < got.length; d++) {
                got[d] = (float) e.get(d).asDouble();
            }
            assertArrayEquals(expected, got);
        }
        assertEquals(6, a.json().path("usage").path("total_tokens").asInt());
        String log = requestLog(requestId(a));
        assertEquals(6, logged(log, "prompt_tokens"), log);
    }

    @Test
    void embeddingsAsBase64WithDimensions() {
        Distribution.Answer a = relay("/v1/embeddings", obj("model", EMBEDDING_8B, "input", List.of("one", "two",
                "three"), "encoding_format", "base64", "dimensions", 4));
        assertEquals(200, a.status(), a.toString());
        JsonNode data = a.json().path("data");
        assertEquals(3, data.size());
        for (int i = 0; i < 3; i++) {
            JsonNode e = data.path(i).path("embedding");
            assertTrue(e.isTextual(), "base64 text: " + e);
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(e.asText())).order(ByteOrder.LITTLE_ENDIAN);
            float[] got = new float[b.remaining() / 4];
            for (int d = 0; d < got.length; d++) {
                got[d] = b.getFloat();
            }
            assertArrayEquals(FakeSiliconFlow.vector(i, 4), got, "little-endian float32 of input " + i);
        }
        JsonNode up = fake.last("/v1/embeddings").json();
        assertEquals("base64", up.path("encoding_format").asText());
        assertEquals(4, up.path("dimensions").asInt());
    }

    @Test
    void rerankAnswersTheShapeFastGptReadsBestFirst() {
        // Exactly FastGPT's body.
        Distribution.Answer a = relay("/v1/rerank", obj("model", RERANK, "query", "apple", "documents", DOCUMENTS));
        assertEquals(200, a.status(), a.toString());
        JsonNode body = a.json();
        assertTrue(body.path("id").isTextual() && !body.path("id").asText().isEmpty(), body.toString());
        assertEquals(RERANK, body.path("model").asText());
        assertBestFirst(body);
        for (JsonNode r : body.path("results")) {
            assertFalse(r.has("document"), "no documents unless asked: " + r);
        }
        int input = 1 + DOCUMENTS.stream().mapToInt(d -> d.split(" ").length).sum();
        assertEquals(input, body.path("meta").path("tokens").path("input_tokens").asInt(), body.toString());
        assertEquals(0, body.path("meta").path("tokens").path("output_tokens").asInt(-1), body.toString());
        assertEquals(input, body.path("usage").path("prompt_tokens").asInt(), body.toString());
        assertEquals(input, body.path("usage").path("total_tokens").asInt(), body.toString());
        String log = requestLog(requestId(a));
        assertEquals(input, logged(log, "prompt_tokens"), log);

        JsonNode up = fake.last("/v1/rerank").json();
        assertEquals("apple", up.path("query").asText());
        assertEquals(DOCUMENTS.size(), up.path("documents").size());
    }

    @Test
    void rerankFromTheTopLevelTokensFormIsSortedAndCarriesDocumentsWhenAsked() {
        Distribution.Answer a = relay("/v1/rerank", obj("model", RERANK_TOP_LEVEL_TOKENS, "query", "apple",
                "documents", DOCUMENTS, "return_documents", true, "top_n", 3));
        assertEquals(200, a.status(), a.toString());
        JsonNode body = a.json();
        assertEquals(3, body.path("results").size(), body.toString());
        assertBestFirst(body);
        for (JsonNode r : body.path("results")) {
            assertEquals(DOCUMENTS.get(r.path("index").asInt()), r.path("document").path("text").asText(), r.toString());
        }
        assertTrue(body.path("meta").path("tokens").path("input_tokens").asInt() > 0, body.toString());
    }

    private static void assertBestFirst(JsonNode body) {
        JsonNode results = body.path("results");
        assertTrue(results.size() > 1, body.toString());
        List<Integer> order = new ArrayList<>();
        double previous = Double.MAX_VALUE;
        for (JsonNode r : results) {
            double score = r.path("relevance_score").asDouble();
            assertTrue(score <= previous, "best first: " + results);
            previous = score;
            order.add(r.path("index").asInt());
        }
        assertEquals(2, order.get(0), "the document with the most apples wins: " + results);
        assertEquals(1, order.get(1), results.toString());
    }

    @Test
    void imageGenerationMapsNAndSize() {
        Distribution.Answer a = relay("/v1/images/generations", obj("model", IMAGE, "prompt", "a red fox in snow",
                "n", 2, "size", "512x512"));
        assertEquals(200, a.status(), a.toString());
        JsonNode data = a.json().path("data");
        assertEquals(2, data.size(), a.toString());
        for (JsonNode d : data) {
            assertTrue(d.path("url").asText().endsWith(".png"), d.toString());
            assertTrue(d.path("url").asText().contains("512x512"), d.toString());
        }
        assertTrue(a.json().path("created").asLong() > 0, a.toString());
        JsonNode up = fake.last("/v1/images/generations").json();
        assertEquals(2, up.path("batch_size").asInt(), up.toString());
        assertEquals("512x512", up.path("image_size").asText(), up.toString());
        assertFalse(up.has("n") || up.has("size"), up.toString());
        assertEquals(IMAGE, up.path("model").asText());
    }

    @Test
    void speechBytesStreamThroughWithTheirContentType() {
        String input = "Switchboard speaks.";
        HttpResponse<byte[]> r = relayBytes("/v1/audio/speech", obj("model", SPEECH, "input", input,
                "voice", SPEECH + ":alex", "response_format", "mp3", "speed", 1.0));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("audio/mpeg", r.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(FakeSiliconFlow.audio(input), r.body(), "the audio, byte for byte");
        assertEquals(SPEECH + ":alex", fake.last("/v1/audio/speech").json().path("voice").asText());
    }

    @Test
    void transcriptionUploadsTheFileAndAnswersText() {
        byte[] wav = new byte[150_000];
        for (int i = 0; i < wav.length; i++) {
            wav[i] = (byte) (i % 251);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", TRANSCRIPTION);
        String boundary = "----switchboard-e2e-" + System.nanoTime();
        HttpResponse<byte[]> r = relayMultipart("/v1/audio/transcriptions",
                Multipart.build(boundary, fields, "speech.wav", "audio/wav", wav), boundary);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.statusCode(), text);
        assertEquals("heard " + wav.length + " bytes with " + TRANSCRIPTION, parse(text).path("text").asText(), text);
        FakeSiliconFlow.Received up = fake.last("/v1/audio/transcriptions");
        assertTrue(up.headers().get("content-type").startsWith("multipart/form-data"), up.headers().toString());
        assertEquals("Bearer " + FakeSiliconFlow.GOOD_KEY, up.headers().get("authorization"));
    }
}
