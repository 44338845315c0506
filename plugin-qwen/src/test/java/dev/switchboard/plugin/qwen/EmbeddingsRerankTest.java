package dev.switchboard.plugin.qwen;

import static dev.switchboard.plugin.qwen.Fixtures.JSON;
import static dev.switchboard.plugin.qwen.Fixtures.assertJson;
import static dev.switchboard.plugin.qwen.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Native embeddings and rerank, with the payloads of providers.md 3a. */
class EmbeddingsRerankTest {

    private static final String NATIVE_EMBEDDINGS = """
            {"output":{"embeddings":[{"text_index":1,"embedding":[0.5,-1.25]},
              {"text_index":0,"embedding":[0.125,2.0]}]},"usage":{"total_tokens":9},"request_id":"rid-e"}
            """;

    @Test
    void embeddingsRequestBecomesTheNativeForm() throws Exception {
        JsonNode body = Embeddings.nativeRequest(json("{\"model\":\"emb\",\"input\":[\"a\",\"b\"],\"dimensions\":512,"
                + "\"encoding_format\":\"float\",\"text_type\":\"query\"}"), "text-embedding-v3", JSON);
        assertJson(json("{\"model\":\"text-embedding-v3\",\"input\":{\"texts\":[\"a\",\"b\"]},\"parameters\":"
                + "{\"dimension\":512,\"text_type\":\"query\"}}"), body);
        assertJson(json("[\"one\"]"), Embeddings.nativeRequest(json("{\"input\":\"one\"}"), "m", JSON)
                .path("input").path("texts"));
        assertThrows(UpstreamErrorException.class,
                () -> Embeddings.nativeRequest(json("{\"input\":[[1,2,3]]}"), "m", JSON));
    }

    @Test
    void nativeFloatsComeBackByIndexWithTotalTokensAsPromptTokens() {
        TranslatedResponse t = Embeddings.fromNative(json(NATIVE_EMBEDDINGS), "text-embedding-v3", false, JSON);
        assertJson(json("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.125,2.0]},
                  {"object":"embedding","index":1,"embedding":[0.5,-1.25]}],"model":"text-embedding-v3",
                 "usage":{"prompt_tokens":9,"total_tokens":9}}
                """), t.body());
        assertEquals(Usage.of(9, 0), t.usage());
    }

    @Test
    void base64IsLittleEndianFloat32() {
        TranslatedResponse t = Embeddings.fromNative(json(NATIVE_EMBEDDINGS), "m", true, JSON);
        String b64 = t.body().path("data").path(0).path("embedding").asText();
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8, b.remaining());
        assertEquals(0.125f, b.getFloat());
        assertEquals(2.0f, b.getFloat());
        // 1.0f little-endian is 00 00 80 3F.
        assertEquals("AACAPw==", Embeddings.base64(json("[1.0]")));
    }

    @Test
    void compatibleFloatsAreEncodedWhenAsked() {
        JsonNode answer = json("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                + "[1.0]}],\"model\":\"text-embedding-v4\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3},"
                + "\"id\":\"x\"}");
        TranslatedResponse t = Embeddings.fromCompatible(answer, true, JSON);
        assertEquals("AACAPw==", t.body().path("data").path(0).path("embedding").asText());
        assertEquals("x", t.body().path("id").asText(), "the rest of the answer is kept");
        assertEquals(Usage.of(3, 0), t.usage());
    }

    @Test
    void rerankRequestBecomesTheNativeForm() {
        JsonNode body = Rerank.nativeRequest(json("{\"model\":\"r\",\"query\":\"what is rerank\",\"documents\":"
                + "[\"doc a\",{\"text\":\"doc b\"}],\"top_n\":2,\"return_documents\":true}"), "gte-rerank-v2", JSON);
        assertJson(json("{\"model\":\"gte-rerank-v2\",\"input\":{\"query\":\"what is rerank\",\"documents\":"
                + "[\"doc a\",\"doc b\"]},\"parameters\":{\"top_n\":2,\"return_documents\":true}}"), body);
    }

    @Test
    void rerankAnswerIsTheContractsShapeBestFirst() {
        JsonNode answer = json("{\"output\":{\"results\":[{\"index\":0,\"relevance_score\":0.21,\"document\":"
                + "{\"text\":\"doc a\"}},{\"index\":2,\"relevance_score\":0.93,\"document\":{\"text\":\"doc c\"}},"
                + "{\"index\":1,\"relevance_score\":0.55,\"document\":{\"text\":\"doc b\"}}]},"
                + "\"usage\":{\"total_tokens\":40},\"request_id\":\"rid-r\"}");
        JsonNode withDocs = json("{\"query\":\"q\",\"documents\":[\"doc a\",\"doc b\",\"doc c\"],"
                + "\"return_documents\":true}");
        TranslatedResponse t = Rerank.fromNative(answer, withDocs, "gte-rerank-v2", JSON);
        assertJson(json("""
                {"id":"rid-r","model":"gte-rerank-v2","results":[
                  {"index":2,"relevance_score":0.93,"document":{"text":"doc c"}},
                  {"index":1,"relevance_score":0.55,"document":{"text":"doc b"}},
                  {"index":0,"relevance_score":0.21,"document":{"text":"doc a"}}],
                 "meta":{"tokens":{"input_tokens":40,"output_tokens":0}},
                 "usage":{"prompt_tokens":40,"total_tokens":40}}
                """), t.body());
        assertEquals(Usage.of(40, 0), t.usage());

        JsonNode plain = json("{\"query\":\"q\",\"documents\":[\"doc a\",\"doc b\",\"doc c\"]}");
        JsonNode noDocs = Rerank.fromNative(answer, plain, "gte-rerank-v2", JSON).body();
        for (JsonNode r : noDocs.path("results")) {
            assertFalse(r.has("document"), "document only when asked: " + r);
        }
        assertEquals(2, noDocs.path("results").path(0).path("index").asInt());
    }
}
