package dev.switchboard.plugin.siliconcloud;

import static dev.switchboard.plugin.siliconcloud.Fixtures.assertJson;
import static dev.switchboard.plugin.siliconcloud.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import org.junit.jupiter.api.Test;

/** Rerank requests to SiliconFlow and its answers to the contract's shape (the one FastGPT reads). */
class RerankTranslationTest {

    private final RerankTranslation rerank = new RerankTranslation(Fixtures.JSON);

    /** FastGPT's body: model, query, documents as strings, nothing else. */
    private static final String FASTGPT = "{\"model\":\"BAAI/bge-reranker-v2-m3\",\"query\":\"Apple\","
            + "\"documents\":[\"banana\",\"apple pie\",\"fruit\"]}";

    /** SiliconFlow's documented answer: results best first, tokens under meta. */
    private static final String ANSWER = "{\"id\":\"0195a3c1d2e3\",\"results\":["
            + "{\"index\":1,\"relevance_score\":0.9453},{\"index\":2,\"relevance_score\":0.0721},"
            + "{\"index\":0,\"relevance_score\":0.0012}],"
            + "\"meta\":{\"billed_units\":{\"input_tokens\":24,\"output_tokens\":0,\"search_units\":0,"
            + "\"classifications\":0},\"tokens\":{\"input_tokens\":24,\"output_tokens\":0}}}";

    @Test
    void theRequestGoesAsTheClientSentItWithTheUpstreamModel() {
        RelayRequest r = Fixtures.mapped(Operation.RERANK, "netease-youdao/bce-reranker-base_v1",
                "{\"model\":\"rerank\",\"query\":\"q\",\"documents\":[\"a\",{\"text\":\"b\"}],\"top_n\":2,"
                        + "\"return_documents\":true,\"max_chunks_per_doc\":1024,\"overlap_tokens\":80,"
                        + "\"instruction\":\"Rank\",\"something_new\":{\"x\":1}}");
        JsonNode body = rerank.request(r);
        assertJson("{\"model\":\"netease-youdao/bce-reranker-base_v1\",\"query\":\"q\","
                + "\"documents\":[\"a\",\"b\"],\"top_n\":2,\"return_documents\":true,\"max_chunks_per_doc\":1024,"
                + "\"overlap_tokens\":80,\"instruction\":\"Rank\",\"something_new\":{\"x\":1}}", body);
        assertEquals("{\"text\":\"b\"}", r.body().path("documents").path(1).toString(), "the client's body untouched");
    }

    @Test
    void theAnswerHasTheContractShapeWithUsageFromMetaTokens() throws Exception {
        TranslatedResponse t = rerank.response(Fixtures.request(Operation.RERANK, FASTGPT), json(ANSWER));
        assertJson("{\"id\":\"0195a3c1d2e3\",\"model\":\"BAAI/bge-reranker-v2-m3\",\"results\":["
                + "{\"index\":1,\"relevance_score\":0.9453},{\"index\":2,\"relevance_score\":0.0721},"
                + "{\"index\":0,\"relevance_score\":0.0012}],"
                + "\"meta\":{\"tokens\":{\"input_tokens\":24,\"output_tokens\":0}},"
                + "\"usage\":{\"prompt_tokens\":24,\"total_tokens\":24}}", t.body());
        assertEquals(Usage.of(24, 0), t.usage());
    }

    @Test
    void resultsAreSortedBestFirstWhateverTheUpstreamOrder() throws Exception {
        JsonNode shuffled = json("{\"id\":\"r\",\"results\":[{\"index\":0,\"relevance_score\":0.1},"
                + "{\"index\":2,\"relevance_score\":0.7},{\"index\":1,\"relevance_score\":0.7},"
                + "{\"index\":3,\"relevance_score\":0.9}],\"tokens\":{\"input_tokens\":9,\"output_tokens\":1}}");
        JsonNode out = rerank.response(Fixtures.request(Operation.RERANK, FASTGPT), shuffled).body();
        int[] order = new int[4];
        for (int i = 0; i < 4; i++) {
            order[i] = out.path("results").path(i).path("index").asInt();
        }
        assertEquals("[3, 1, 2, 0]", java.util.Arrays.toString(order), "by score, ties by index");
    }

    @Test
    void usageComesFromMetaTokensElseTokensElseUsage() throws Exception {
        RelayRequest r = Fixtures.request(Operation.RERANK, FASTGPT);
        String results = "\"results\":[{\"index\":0,\"relevance_score\":0.5}]";
        assertEquals(Usage.of(9, 1), rerank.response(r, json("{" + results
                + ",\"tokens\":{\"input_tokens\":9,\"output_tokens\":1}}")).usage());
        assertEquals(Usage.of(5, 0), rerank.response(r, json("{" + results
                + ",\"meta\":{\"tokens\":{\"input_tokens\":5,\"output_tokens\":0}},"
                + "\"tokens\":{\"input_tokens\":9,\"output_tokens\":1}}")).usage(), "meta.tokens first");
        TranslatedResponse fromUsage = rerank.response(r, json("{" + results
                + ",\"usage\":{\"prompt_tokens\":11,\"total_tokens\":11}}"));
        assertEquals(Usage.of(11, 0), fromUsage.usage());
        assertJson("{\"tokens\":{\"input_tokens\":11,\"output_tokens\":0}}", fromUsage.body().get("meta"));
        assertEquals(Usage.of(13, 0), rerank.response(r, json("{" + results
                + ",\"usage\":{\"total_tokens\":13}}")).usage());
        TranslatedResponse none = rerank.response(r, json("{" + results + "}"));
        assertEquals(Usage.NONE, none.usage());
        assertEquals(0, none.body().path("usage").path("total_tokens").asInt(-1));
        assertEquals("rerank-req-1", none.body().path("id").asText(), "an id even when the upstream gave none");
    }

    @Test
    void documentsOnlyWhenAskedTakenFromTheAnswerOrTheRequest() throws Exception {
        JsonNode withDocs = json("{\"results\":[{\"index\":1,\"relevance_score\":0.9,\"document\":{\"text\":"
                + "\"apple pie\"}},{\"index\":0,\"relevance_score\":0.1}]}");
        JsonNode plain = rerank.response(Fixtures.request(Operation.RERANK, FASTGPT), withDocs).body();
        assertFalse(plain.path("results").path(0).has("document"), "not asked: no document " + plain);

        RelayRequest asked = Fixtures.request(Operation.RERANK, "{\"model\":\"m\",\"query\":\"Apple\","
                + "\"documents\":[\"banana\",\"apple pie\"],\"return_documents\":true}");
        JsonNode out = rerank.response(asked, withDocs).body();
        assertEquals("{\"text\":\"apple pie\"}", out.path("results").path(0).path("document").toString());
        assertEquals("{\"text\":\"banana\"}", out.path("results").path(1).path("document").toString(),
                "filled in from the request when the upstream left it out");
    }

    @Test
    void topNCutsTheList() throws Exception {
        RelayRequest r = Fixtures.request(Operation.RERANK, "{\"model\":\"m\",\"query\":\"q\",\"documents\":"
                + "[\"a\",\"b\",\"c\"],\"top_n\":2}");
        assertEquals(2, rerank.response(r, json(ANSWER)).body().path("results").size());
    }

    @Test
    void anAnswerWithoutResultsIsAnUpstreamError() {
        RelayRequest r = Fixtures.request(Operation.RERANK, FASTGPT);
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class,
                () -> rerank.response(r, json("{\"id\":\"x\"}")));
        assertEquals(502, e.error().status());
        assertTrue(e.error().retryable());
        UpstreamErrorException vendor = assertThrows(UpstreamErrorException.class,
                () -> rerank.response(r, json("{\"code\":20012,\"message\":\"Model does not exist.\"}")));
        assertEquals("model_not_found", vendor.error().code());
    }
}
