package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The model -> endpoint table of providers.md 2a, and a channel's additions to it. */
class EndpointTableTest {

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            "ERNIE-4.0-8K, CHAT, chat/completions_pro",
            "ERNIE-4.0, CHAT, chat/completions_pro",
            "ERNIE-Bot-4, CHAT, chat/completions_pro",
            "ERNIE-3.5-8K, CHAT, chat/completions",
            "ERNIE-Bot, CHAT, chat/completions",
            "ERNIE-Bot-turbo, CHAT, chat/eb-instant",
            "ERNIE-Lite-8K-0922, CHAT, chat/eb-instant",
            "ERNIE-Speed, CHAT, chat/ernie_speed",
            "ERNIE-Speed-8K, CHAT, chat/ernie_speed",
            "ERNIE-Speed-128K, CHAT, chat/ernie-speed-128k",
            "ERNIE-Bot-8K, CHAT, chat/ernie_bot_8k",
            "ERNIE-Lite-8K-0308, CHAT, chat/ernie-lite-8k",
            "ERNIE-Tiny-8K, CHAT, chat/ernie-tiny-8k",
            "ERNIE-4.0-Turbo-8K, CHAT, chat/ernie-4.0-turbo-8k",
            "ERNIE-3.5-128K, CHAT, chat/ernie-3.5-128k",
            "ERNIE-Character-8K, CHAT, chat/ernie-char-8k",
            "BLOOMZ-7B, CHAT, chat/bloomz_7b1",
            "Embedding-V1, EMBEDDINGS, embeddings/embedding-v1",
            "bge-large-zh, EMBEDDINGS, embeddings/bge_large_zh",
            "bge-large-en, EMBEDDINGS, embeddings/bge_large_en",
            "tao-8k, EMBEDDINGS, embeddings/tao_8k",
            "bce-reranker-base_v1, RERANK, reranker/bce_reranker_base",
            "ERNIE-Functions-8K, CHAT, chat/ernie-functions-8k",
            "Embedding-V2, EMBEDDINGS, embeddings/embedding-v2",
            "ernie-4.0-8k, CHAT, chat/completions_pro"})
    void theSpecsTableUnlistedModelsLowerCasedAndNamesMatchedWhateverTheirCase(String model, Operation op,
            String path) {
        assertEquals(path, EndpointTable.path(op, model, model, null));
    }

    @Test
    void aChannelAddsAndOverridesEndpoints() {
        var overrides = TestRequest.parse("{\"my-ernie\":\"custom-deploy-1\",\"ERNIE-4.0-8K\":\"completions_adv\","
                + "\"my-embedder\":\"embeddings/emb_custom\"}");
        assertEquals("chat/custom-deploy-1", EndpointTable.path(Operation.CHAT, "my-ernie", "my-ernie", overrides));
        assertEquals("chat/custom-deploy-1", EndpointTable.path(Operation.CHAT, "MY-ERNIE", "MY-ERNIE", overrides),
                "case-insensitive");
        assertEquals("chat/completions_adv", EndpointTable.path(Operation.CHAT, "ERNIE-4.0-8K", "x", overrides),
                "an override beats the built-in table");
        assertEquals("embeddings/emb_custom",
                EndpointTable.path(Operation.EMBEDDINGS, "my-embedder", "my-embedder", overrides));
        assertEquals("chat/custom-deploy-1", EndpointTable.path(Operation.CHAT, "ernie-upstream", "my-ernie",
                overrides), "the name the client asked for is looked up too");
        assertEquals("chat/completions", EndpointTable.path(Operation.CHAT, "ERNIE-3.5-8K", "alias", overrides));
    }

    @Test
    void badEndpointsAreNamedWithWhatToWrite() {
        var problems = EndpointTable.validate(TestRequest.parse(
                "{\"ok\":\"completions_pro\",\"path\":\"chat/abc\",\"bad\":\"../oauth\",\"num\":3,\"q\":\"a?b=c\"}"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("config.endpoints.bad must be an endpoint name"), problems.get(0));
        assertTrue(problems.get(1).startsWith("config.endpoints.num"), problems.get(1));
        assertTrue(problems.get(2).startsWith("config.endpoints.q"), problems.get(2));
        assertEquals(List.of(), EndpointTable.validate(null));
    }
}
