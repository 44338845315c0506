package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Embeddings (float and base64) and rerank answers in the relay contract's shapes. */
class EmbeddingsAndRerankTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static final String BAIDU_EMBEDDINGS = "{\"id\":\"as-gjs275mj6s\",\"object\":\"embedding_list\","
            + "\"created\":1687155816,\"data\":[{\"object\":\"embedding\",\"embedding\":[0.018314670771360397,"
            + "0.00942440889775753,-0.36294862627983093],\"index\":0},{\"object\":\"embedding\",\"embedding\":"
            + "[0.1,-0.2,0.3],\"index\":1}],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}";

    @Test
    void floatsAreKeptWhenTheClientAskedForFloats() {
        TestRequest r = TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"Embedding-V1\",\"input\":[\"推荐一些美食\","
                + "\"给我讲个故事\"]}");
        TranslatedResponse t = Embeddings.toOpenAi(r, TestRequest.parse(BAIDU_EMBEDDINGS), mapper);
        TestRequest.assertJson("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.018314670771360397,0.00942440889775753,-0.36294862627983093]},{\"object\":"
                + "\"embedding\",\"index\":1,\"embedding\":[0.1,-0.2,0.3]}],\"model\":\"Embedding-V1\",\"usage\":"
                + "{\"prompt_tokens\":12,\"total_tokens\":12}}", t.body());
        assertEquals(Usage.of(12, 0), t.usage());
    }

    @Test
    void base64IsLittleEndianFloat32() {
        TestRequest r = TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"Embedding-V1\",\"input\":\"x\","
                + "\"encoding_format\":\"base64\"}");
        JsonNode data = Embeddings.toOpenAi(r, TestRequest.parse(BAIDU_EMBEDDINGS), mapper).body().get("data");
        byte[] bytes = Base64.getDecoder().decode(data.get(0).get("embedding").asText());
        assertEquals(12, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.018314670771360397f, b.getFloat());
        assertEquals(0.00942440889775753f, b.getFloat());
        assertEquals(-0.36294862627983093f, b.getFloat());
        // 1.0f little-endian is 00 00 80 3f.
        assertEquals("AACAPw==", Embeddings.encode(TestRequest.parse("[1.0]")));
    }

    @Test
    void inputsBecomeTextsAndTokenArraysAreRefused() throws Exception {
        assertEquals(TestRequest.parse("[\"a\"]"), Embeddings.texts(TestRequest.parse("\"a\""), mapper));
        assertEquals(TestRequest.parse("[\"a\",\"b\"]"), Embeddings.texts(TestRequest.parse("[\"a\",\"b\"]"), mapper));
        UpstreamError e = assertThrows(UpstreamErrorException.class,
                () -> Embeddings.texts(TestRequest.parse("[[1,2,3]]"), mapper)).error();
        assertEquals(400, e.status());
        assertEquals("input[0]", e.param());
    }

    private static final String BAIDU_RERANK = "{\"id\":\"as-rr\",\"object\":\"reranker_list\",\"created\":1,"
            + "\"results\":[{\"document\":\"上海天气\",\"relevance_score\":0.1,\"index\":0},"
            + "{\"document\":\"北京美食\",\"relevance_score\":0.9,\"index\":1},"
            + "{\"document\":\"北京天气\",\"relevance_score\":0.5,\"index\":2}],"
            + "\"usage\":{\"prompt_tokens\":14,\"total_tokens\":14}}";

    @Test
    void rerankResultsAreSortedBestFirstWithDocumentsOnlyWhenAsked() {
        TestRequest plain = TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base_v1\",\"query\":\"北京\","
                + "\"documents\":[\"上海天气\",\"北京美食\",\"北京天气\"]}");
        TranslatedResponse t = Rerank.toOpenAi(plain, TestRequest.parse(BAIDU_RERANK), mapper);
        TestRequest.assertJson("{\"id\":\"as-rr\",\"model\":\"bce-reranker-base_v1\",\"results\":["
                + "{\"index\":1,\"relevance_score\":0.9},{\"index\":2,\"relevance_score\":0.5},"
                + "{\"index\":0,\"relevance_score\":0.1}],\"meta\":{\"tokens\":{\"input_tokens\":14,\"output_tokens\":0}},"
                + "\"usage\":{\"prompt_tokens\":14,\"total_tokens\":14}}", t.body());
        assertEquals(Usage.of(14, 0), t.usage());

        TestRequest docs = TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base_v1\",\"query\":\"北京\","
                + "\"documents\":[{\"text\":\"上海天气\"},\"北京美食\",\"北京天气\"],\"top_n\":2,\"return_documents\":true}");
        JsonNode results = Rerank.toOpenAi(docs, TestRequest.parse(BAIDU_RERANK), mapper).body().get("results");
        TestRequest.assertJson("[{\"index\":1,\"relevance_score\":0.9,\"document\":{\"text\":\"北京美食\"}},"
                + "{\"index\":2,\"relevance_score\":0.5,\"document\":{\"text\":\"北京天气\"}}]", results);
    }

    @Test
    void theV1RerankBodyTakesStringsTopNAndUser() throws Exception {
        TestRequest r = TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base_v1\",\"query\":\"q\","
                + "\"documents\":[{\"text\":\"a\"},\"b\"],\"top_n\":1,\"return_documents\":true,\"user\":\"u1\"}");
        assertEquals(TestRequest.parse("{\"query\":\"q\",\"documents\":[\"a\",\"b\"],\"top_n\":1,\"user_id\":\"u1\"}"),
                Rerank.v1Body(r, mapper));
        TestRequest bad = TestRequest.of(Operation.RERANK, "{\"model\":\"m\",\"query\":\"q\",\"documents\":[3]}");
        assertFalse(assertThrows(UpstreamErrorException.class, () -> Rerank.v1Body(bad, mapper)).error().retryable());
    }
}
