package dev.switchboard.dist.qwen;

import static dev.switchboard.dist.qwen.QwenGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings (float and base64, both modes) and rerank (native service, the contract's shape) end to end. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QwenEmbeddingsRerankIT {

    private static final List<String> DOCS = List.of("Paris is in France", "rerank sorts documents by relevance",
            "a rerank model scores each query and document pair", "bananas are yellow");
    private static final String QUERY = "what does a rerank model do with a query";

    private QwenGateway gw;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = new QwenGateway(tmp);
        gw.channel("qwen native", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("native-emb", "text-embedding-v3", "native-rerank", "gte-rerank-v2"), 0);
        gw.channel("qwen compatible", FakeDashScope.GOOD_KEY, "/compatible-mode/v1", Map.of(),
                Map.of("compat-emb", "text-embedding-v4", "compat-rerank", "qwen3-rerank"), 0);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void nativeEmbeddingsAsFloats() {
        QwenGateway.Reply r = gw.post("/v1/embeddings", obj("model", "native-emb", "input", List.of("a", "b", "c"),
                "encoding_format", "float", "dimensions", 256));
        assertEquals(200, r.status(), r.toString());
        JsonNode body = r.json();
        assertEquals("list", body.path("object").asText());
        assertEquals(3, body.path("data").size());
        for (int i = 0; i < 3; i++) {
            JsonNode d = body.path("data").path(i);
            assertEquals(i, d.path("index").asInt(), "ordered by text_index: " + body);
            assertEquals("embedding", d.path("object").asText());
            assertEquals(FakeDashScope.vector(i), d.path("embedding"));
        }
        assertEquals(9, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(9, body.path("usage").path("total_tokens").asInt());
        JsonNode sent = gw.fake.lastFor("text-embedding-v3").body();
        assertEquals(List.of("a", "b", "c"), List.of(sent.path("input").path("texts").path(0).asText(),
                sent.path("input").path("texts").path(1).asText(), sent.path("input").path("texts").path(2).asText()));
        assertEquals(256, sent.path("parameters").path("dimension").asInt());
        Map<String, String> log = gw.logLine(r.requestId());
        assertEquals("9", log.get("prompt_tokens"), "total_tokens billed as prompt tokens");
        assertEquals("0", log.get("completion_tokens"));
    }

    @Test
    void nativeEmbeddingsAsBase64() {
        QwenGateway.Reply r = gw.post("/v1/embeddings", obj("model", "native-emb", "input", "one text",
                "encoding_format", "base64"));
        assertEquals(200, r.status(), r.toString());
        assertBase64(r.json().path("data").path(0).path("embedding"), FakeDashScope.vector(0));
    }

    @Test
    void compatibleEmbeddingsAsFloatsPassThrough() {
        QwenGateway.Reply r = gw.post("/v1/embeddings", obj("model", "compat-emb", "input", List.of("a", "b")));
        assertEquals(200, r.status(), r.toString());
        assertEquals(FakeDashScope.vector(1), r.json().path("data").path(1).path("embedding"));
        assertEquals("/compatible-mode/v1/embeddings", gw.fake.lastFor("text-embedding-v4").path());
        assertEquals("6", gw.logLine(r.requestId()).get("prompt_tokens"));
    }

    @Test
    void compatibleEmbeddingsAsBase64AreEncodedByTheGateway() {
        // What the OpenAI Node and Java SDKs send when the caller sets no encoding_format.
        QwenGateway.Reply r = gw.post("/v1/embeddings", obj("model", "compat-emb", "input", List.of("a", "b"),
                "encoding_format", "base64"));
        assertEquals(200, r.status(), r.toString());
        assertBase64(r.json().path("data").path(0).path("embedding"), FakeDashScope.vector(0));
        assertBase64(r.json().path("data").path(1).path("embedding"), FakeDashScope.vector(1));
        assertEquals("float", gw.fake.lastFor("text-embedding-v4").body().path("encoding_format").asText());
        assertEquals("6", gw.logLine(r.requestId()).get("prompt_tokens"));
    }

    @Test
    void rerankBestFirstInTheContractsShape() {
        QwenGateway.Reply r = gw.post("/v1/rerank", obj("model", "native-rerank", "query", QUERY, "documents", DOCS));
        assertEquals(200, r.status(), r.toString());
        JsonNode body = r.json();
        assertTrue(body.path("id").asText().startsWith("fake-"), body.toString());
        assertEquals("native-rerank", body.path("model").asText());
        JsonNode results = body.path("results");
        assertEquals(4, results.size());
        assertEquals(2, results.path(0).path("index").asInt(), "the most relevant first: " + body);
        double previous = Double.MAX_VALUE;
        for (JsonNode res : results) {
            double score = res.path("relevance_score").asDouble();
            assertTrue(score <= previous, "sorted best first: " + body);
            previous = score;
            assertFalse(res.has("document"), "no document unless asked: " + res);
        }
        assertEquals(20, body.path("meta").path("tokens").path("input_tokens").asInt());
        assertEquals(20, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(20, body.path("usage").path("total_tokens").asInt());

        FakeDashScope.Received sent = gw.fake.lastFor("gte-rerank-v2");
        assertEquals("/api/v1/services/rerank/text-rerank/text-rerank", sent.path());
        assertEquals(QUERY, sent.body().path("input").path("query").asText());
        assertEquals(4, sent.body().path("input").path("documents").size());
        assertEquals("20", gw.logLine(r.requestId()).get("prompt_tokens"));
    }

    @Test
    void rerankThroughACompatibleChannelUsesTheNativeServiceWithTopNAndDocuments() {
        QwenGateway.Reply r = gw.post("/v1/rerank", obj("model", "compat-rerank", "query", QUERY, "documents", DOCS,
                "top_n", 2, "return_documents", true));
        assertEquals(200, r.status(), r.toString());
        JsonNode results = r.json().path("results");
        assertEquals(2, results.size(), r.toString());
        assertEquals(2, results.path(0).path("index").asInt());
        assertEquals(DOCS.get(2), results.path(0).path("document").path("text").asText());
        assertEquals(DOCS.get(results.path(1).path("index").asInt()), results.path(1).path("document").path("text")
                .asText());
        FakeDashScope.Received sent = gw.fake.lastFor("qwen3-rerank");
        assertEquals("/api/v1/services/rerank/text-rerank/text-rerank", sent.path(),
                "the compatible base's path is replaced, not appended to");
        assertEquals(2, sent.body().path("parameters").path("top_n").asInt());
    }

    private static void assertBase64(JsonNode encoded, JsonNode floats) {
        assertTrue(encoded.isTextual(), "a base64 string: " + encoded);
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(floats.size() * 4, b.remaining());
        for (JsonNode f : floats) {
            assertEquals((float) f.asDouble(), b.getFloat());
        }
    }
}
