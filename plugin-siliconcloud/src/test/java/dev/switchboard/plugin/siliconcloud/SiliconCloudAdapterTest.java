package dev.switchboard.plugin.siliconcloud;

import static dev.switchboard.plugin.siliconcloud.Fixtures.assertJson;
import static dev.switchboard.plugin.siliconcloud.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What the adapter asks the core to send for each operation, and how answers come back. */
class SiliconCloudAdapterTest {

    private final SiliconCloudAdapter adapter = new SiliconCloudAdapter();
    private final Channel channel = Fixtures.channel("{}");

    private UpstreamCall prepare(RelayRequest r, Channel c) {
        return adapter.prepare(r, c, new Fixtures.CannedClient(500, "")).toCompletableFuture().join();
    }

    @Test
    void theTypeIsTheSameInstanceEveryTime() {
        assertSame(adapter.channelType(), adapter.channelType());
    }

    @Test
    void chatEmbeddingsAndAudioPassThroughWithTheKey() {
        Map<Operation, String> paths = Map.of(Operation.CHAT, "/chat/completions",
                Operation.COMPLETIONS, "/completions", Operation.EMBEDDINGS, "/embeddings",
                Operation.SPEECH, "/audio/speech", Operation.TRANSCRIPTION, "/audio/transcriptions");
        paths.forEach((op, path) -> {
            UpstreamCall call = prepare(Fixtures.request(op, "{\"model\":\"m\"}"), channel);
            assertTrue(call.isPassThrough(), op + " passes through");
            assertEquals("POST", call.method());
            assertEquals("https://api.siliconflow.cn/v1" + path, call.url());
            assertEquals(Map.of("Authorization", "Bearer sk-test-key"), call.headers());
            assertNull(call.body(), "the core sends the client's own bytes");
            assertFalse(call.isStream());
        });
        UpstreamCall stream = prepare(Fixtures.request(Operation.CHAT, "{\"model\":\"deepseek-ai/DeepSeek-R1\","
                + "\"stream\":true,\"enable_thinking\":true,\"thinking_budget\":512,\"min_p\":0.05,\"top_k\":20}"),
                Fixtures.custom("http://127.0.0.1:9/v1", "{}"));
        assertTrue(stream.isStream());
        assertEquals("http://127.0.0.1:9/v1/chat/completions", stream.url());
    }

    @Test
    void rerankAndImagesAreTranslatedCalls() throws Exception {
        UpstreamCall rerank = prepare(Fixtures.request(Operation.RERANK, "{\"model\":\"BAAI/bge-reranker-v2-m3\","
                + "\"query\":\"q\",\"documents\":[\"a\"]}"), Fixtures.channel("{\"region\":\"intl\"}"));
        assertFalse(rerank.isPassThrough());
        assertEquals("https://api.siliconflow.com/v1/rerank", rerank.url());
        assertEquals("application/json", rerank.contentType());
        assertEquals("Bearer sk-test-key", rerank.headers().get("Authorization"));
        assertJson("{\"model\":\"BAAI/bge-reranker-v2-m3\",\"query\":\"q\",\"documents\":[\"a\"]}",
                Fixtures.JSON.readTree(rerank.body()));

        UpstreamCall image = prepare(Fixtures.request(Operation.IMAGES, "{\"model\":\"f\",\"prompt\":\"p\",\"n\":1}"),
                channel);
        assertEquals("https://api.siliconflow.cn/v1/images/generations", image.url());
        assertJson("{\"model\":\"f\",\"prompt\":\"p\",\"batch_size\":1}", Fixtures.JSON.readTree(image.body()));
    }

    @Test
    void aRefusedRequestFailsTheStage() {
        CompletionException e = assertThrows(CompletionException.class, () -> prepare(Fixtures.request(
                Operation.IMAGES, "{\"model\":\"f\",\"prompt\":\"p\",\"response_format\":\"b64_json\"}"), channel));
        assertInstanceOf(UpstreamErrorException.class, e.getCause());
    }

    @Test
    void translatedAnswersGoToTheirTranslation() throws Exception {
        var rerank = adapter.translateResponse(Fixtures.request(Operation.RERANK, "{\"model\":\"r\",\"query\":\"q\","
                + "\"documents\":[\"a\"]}"), 200, json("{\"id\":\"x\",\"results\":[{\"index\":0,"
                + "\"relevance_score\":0.5}],\"meta\":{\"tokens\":{\"input_tokens\":3,\"output_tokens\":0}}}"));
        assertEquals(3, rerank.usage().promptTokens());
        var image = adapter.translateResponse(Fixtures.request(Operation.IMAGES, "{\"model\":\"f\",\"prompt\":\"p\"}"),
                200, json("{\"images\":[{\"url\":\"u\"}],\"timings\":{\"inference\":1},\"seed\":1}"));
        assertEquals("u", image.body().path("data").path(0).path("url").asText());
    }

    @Test
    void errorsUseSiliconFlowsRules() {
        var e = adapter.translateError(403, "application/json",
                "{\"code\":30003,\"message\":\"Model disabled.\",\"data\":null}".getBytes());
        assertEquals("model_not_found", e.code());
    }

    @Test
    void theModelListIsReadFromModels() {
        Fixtures.CannedClient client = new Fixtures.CannedClient(200, "{\"object\":\"list\",\"data\":["
                + "{\"id\":\"Qwen/Qwen3-8B\",\"object\":\"model\",\"created\":0,\"owned_by\":\"\"},"
                + "{\"id\":\"BAAI/bge-m3\",\"object\":\"model\",\"created\":0,\"owned_by\":\"\"},"
                + "{\"id\":\"BAAI/bge-m3\",\"object\":\"model\",\"created\":0,\"owned_by\":\"\"},"
                + "{\"id\":\"deepseek-ai/DeepSeek-R1\",\"object\":\"model\",\"created\":0,\"owned_by\":\"\"}]}");
        List<String> models = adapter.listModels(channel, client).toCompletableFuture().join();
        assertEquals(List.of("BAAI/bge-m3", "Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-R1"), models);
        assertEquals("https://api.siliconflow.cn/v1/models", client.calls.get(0).url());
        assertEquals("Bearer sk-test-key", client.calls.get(0).headers().get("Authorization"));

        Fixtures.CannedClient refused = new Fixtures.CannedClient(401, "\"Api key is invalid\"");
        CompletionException e = assertThrows(CompletionException.class,
                () -> adapter.listModels(channel, refused).toCompletableFuture().join());
        assertTrue(assertInstanceOf(UpstreamErrorException.class, e.getCause()).error().disableChannel());
    }
}
