package dev.switchboard.plugin.qwen;

import static dev.switchboard.plugin.qwen.Fixtures.channel;
import static dev.switchboard.plugin.qwen.Fixtures.assertJson;
import static dev.switchboard.plugin.qwen.Fixtures.json;
import static dev.switchboard.plugin.qwen.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The calls the adapter asks the core to make, per mode and operation, and the answers it reads back. */
class QwenAdapterTest {

    private final QwenAdapter adapter = new QwenAdapter();

    private static final String CHAT = "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private UpstreamCall prepare(RelayRequest r, Channel c) {
        return adapter.prepare(r, c, call -> {
            throw new AssertionError("no side call expected");
        }).toCompletableFuture().join();
    }

    private static JsonNode body(UpstreamCall call) {
        return Fixtures.json(new String(call.body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theChannelTypeDescribesItsOptions() {
        var type = adapter.channelType();
        assertEquals("qwen", type.id());
        assertEquals("https://dashscope.aliyuncs.com", type.defaultBaseUrl());
        assertEquals(List.of("mode", "region", "workspace"), type.configFields().stream().map(f -> f.name()).toList());
        assertEquals(List.of("compatible", "native"), type.configFields().get(0).choices());
        assertEquals("compatible", type.configFields().get(0).defaultValue());
        assertEquals(List.of("cn", "intl"), type.configFields().get(1).choices());
        assertTrue(type.operations().contains(Operation.RERANK));
        assertEquals(List.of(), adapter.validateConfig(json("{\"workspace\":\"ws-123\"}")));
        assertEquals(1, adapter.validateConfig(json("{\"workspace\":\"ws 1\\n\"}")).size());
    }

    @Test
    void baseUrlRules() {
        assertEquals("https://dashscope.aliyuncs.com/compatible-mode/v1",
                QwenEndpoints.of(channel(null, "{}")).compatibleBase());
        assertEquals("https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
                QwenEndpoints.of(channel(null, "{\"region\":\"intl\"}")).compatibleBase());
        assertEquals("http://127.0.0.1:9/compatible-mode/v1",
                QwenEndpoints.of(channel("http://127.0.0.1:9", "{\"region\":\"intl\"}")).compatibleBase(),
                "a channel's base_url is always honoured");
        assertEquals("http://127.0.0.1:9/compatible-mode/v1",
                QwenEndpoints.of(channel("http://127.0.0.1:9/compatible-mode/v1/", "{}")).compatibleBase(),
                "not appended twice");
        assertEquals("http://127.0.0.1:9/api/v1/services/rerank/text-rerank/text-rerank",
                QwenEndpoints.of(channel("http://127.0.0.1:9/compatible-mode/v1", "{}")).nativeUrl(QwenEndpoints.RERANK));
        assertEquals("http://proxy:8/qwen/api/v1/services/aigc/text-generation/generation",
                QwenEndpoints.of(channel("http://proxy:8/qwen/api/v1", "{\"mode\":\"native\"}"))
                        .nativeUrl(QwenEndpoints.CHAT));
    }

    @Test
    void compatibleChatIsAPassThroughWithCredentialsAndWorkspace() {
        UpstreamCall call = prepare(request(Operation.CHAT, CHAT + ",\"stream\":true}"),
                channel(null, "{\"workspace\":\"ws-9\"}"));
        assertTrue(call.isPassThrough());
        assertTrue(call.isStream());
        assertEquals("https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions", call.url());
        assertEquals("Bearer sk-test-key", call.headers().get("Authorization"));
        assertEquals("ws-9", call.headers().get("X-DashScope-WorkSpace"));
        assertNull(call.body());
    }

    @Test
    void compatibleQwen3WithoutStreamGetsThinkingOffAndKeepsEveryOtherField() {
        UpstreamCall call = prepare(Fixtures.mapped(Operation.CHAT, CHAT + ",\"x_custom\":{\"a\":1},\"top_k\":5}",
                "qwen3-32b"), channel(null, "{}"));
        assertFalse(call.isPassThrough());
        assertFalse(call.isStream());
        JsonNode sent = body(call);
        assertFalse(sent.path("enable_thinking").asBoolean(true));
        assertEquals("qwen3-32b", sent.path("model").asText(), "the mapped model");
        assertJson(json("{\"a\":1}"), sent.path("x_custom"), "unknown fields reach the upstream");
        assertEquals(5, sent.path("top_k").asInt());

        UpstreamCall told = prepare(request(Operation.CHAT, CHAT + ",\"enable_thinking\":true}"), channel(null, "{}"));
        assertTrue(told.isPassThrough(), "the client's own enable_thinking is respected");
        assertTrue(prepare(request(Operation.CHAT, CHAT.replace("qwen-plus", "qwen-max") + "}"), channel(null, "{}"))
                .isPassThrough());
    }

    @Test
    void compatibleStreamOnlyModelWithoutStreamIsStreamedUpstream() {
        UpstreamCall call = prepare(request(Operation.CHAT, CHAT.replace("qwen-plus", "qwq-plus") + "}"),
                channel(null, "{}"));
        assertFalse(call.isPassThrough());
        assertTrue(call.isStream(), "the core reads the answer as SSE");
        JsonNode sent = body(call);
        assertTrue(sent.path("stream").asBoolean());
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        assertEquals("https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions", call.url());
    }

    @Test
    void compatibleEmbeddingsAskFloatWhenTheClientWantsBase64() {
        UpstreamCall plain = prepare(request(Operation.EMBEDDINGS, "{\"model\":\"text-embedding-v4\",\"input\":"
                + "[\"a\"],\"encoding_format\":\"float\"}"), channel(null, "{}"));
        assertTrue(plain.isPassThrough());
        assertEquals("https://dashscope.aliyuncs.com/compatible-mode/v1/embeddings", plain.url());
        UpstreamCall b64 = prepare(request(Operation.EMBEDDINGS, "{\"model\":\"text-embedding-v4\",\"input\":"
                + "[\"a\"],\"encoding_format\":\"base64\",\"dimensions\":64}"), channel(null, "{}"));
        assertFalse(b64.isPassThrough());
        assertEquals("float", body(b64).path("encoding_format").asText());
        assertEquals(64, body(b64).path("dimensions").asInt());
    }

    @Test
    void nativeChatIsTranslatedAndStreamsWithTheSseHeader() {
        Channel nativeChannel = channel("http://127.0.0.1:9", "{\"mode\":\"native\"}");
        UpstreamCall call = prepare(request(Operation.CHAT, CHAT + ",\"stream\":true}"), nativeChannel);
        assertFalse(call.isPassThrough());
        assertTrue(call.isStream());
        assertEquals("http://127.0.0.1:9/api/v1/services/aigc/text-generation/generation", call.url());
        assertEquals("enable", call.headers().get("X-DashScope-SSE"));
        assertEquals("application/json", call.contentType());
        assertEquals("message", body(call).path("parameters").path("result_format").asText());
        assertTrue(body(call).path("parameters").path("incremental_output").asBoolean());

        UpstreamCall once = prepare(request(Operation.CHAT, CHAT + "}"), nativeChannel);
        assertFalse(once.isStream());
        assertNull(once.headers().get("X-DashScope-SSE"));

        UpstreamCall qwq = prepare(request(Operation.CHAT, CHAT.replace("qwen-plus", "qwq-plus") + "}"), nativeChannel);
        assertTrue(qwq.isStream(), "stream-only models stream in native mode too");
        assertEquals("enable", qwq.headers().get("X-DashScope-SSE"));
    }

    @Test
    void rerankGoesNativeInEitherMode() {
        String rerank = "{\"model\":\"gte-rerank-v2\",\"query\":\"q\",\"documents\":[\"a\",\"b\"]}";
        UpstreamCall call = prepare(request(Operation.RERANK, rerank), channel(null, "{\"region\":\"intl\"}"));
        assertEquals("https://dashscope-intl.aliyuncs.com/api/v1/services/rerank/text-rerank/text-rerank", call.url());
        assertFalse(call.isPassThrough());
        assertEquals("q", body(call).path("input").path("query").asText());
    }

    @Test
    void nativeEmbeddingsAndCompletions() {
        Channel nativeChannel = channel(null, "{\"mode\":\"native\"}");
        UpstreamCall e = prepare(request(Operation.EMBEDDINGS, "{\"model\":\"text-embedding-v3\",\"input\":\"a\"}"),
                nativeChannel);
        assertEquals("https://dashscope.aliyuncs.com/api/v1/services/embeddings/text-embedding/text-embedding",
                e.url());
        CompletionException failed = assertThrows(CompletionException.class, () -> prepare(request(
                Operation.COMPLETIONS, "{\"model\":\"qwen-plus\",\"prompt\":\"a\"}"), nativeChannel));
        UpstreamErrorException u = assertInstanceOf(UpstreamErrorException.class, failed.getCause());
        assertTrue(u.error().retryable(), "a compatible-mode channel may serve it");
        assertTrue(prepare(request(Operation.COMPLETIONS, "{\"model\":\"qwen-plus\",\"prompt\":\"a\"}"),
                channel(null, "{}")).isPassThrough());
    }

    @Test
    void translateResponseTellsTheModeByTheAnswersShape() throws Exception {
        RelayRequest chat = request(Operation.CHAT, CHAT + "}");
        TranslatedResponse n = adapter.translateResponse(chat, 200, json("{\"output\":{\"choices\":[{\"finish_reason\":"
                + "\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]},\"usage\":{\"input_tokens\":1,"
                + "\"output_tokens\":2,\"total_tokens\":3},\"request_id\":\"r\"}"));
        assertEquals("chat.completion", n.body().path("object").asText());
        assertEquals(Usage.of(1, 2), n.usage());

        JsonNode openAi = json("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":"
                + "{\"prompt_tokens\":4,\"completion_tokens\":5,\"total_tokens\":9}}");
        TranslatedResponse c = adapter.translateResponse(chat, 200, openAi);
        assertEquals(openAi, c.body());
        assertEquals(Usage.of(4, 5), c.usage());

        UpstreamErrorException e = assertThrows(UpstreamErrorException.class, () -> adapter.translateResponse(chat,
                200, json("{\"code\":\"InvalidParameter\",\"message\":\"bad\",\"request_id\":\"r\"}")));
        assertEquals(400, e.error().status());
    }

    @Test
    void streamTranslatorPassesCompatibleChunksForTheAssembledCase() throws Exception {
        StreamTranslator t = adapter.newStreamTranslator(request(Operation.CHAT, CHAT.replace("qwen-plus",
                "qwq-plus") + "}"));
        String raw = "data: {\"id\":\"chatcmpl-q\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hmm\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"chatcmpl-q\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"42\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"chatcmpl-q\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":8,\"completion_tokens\":30,\"total_tokens\":38}}\n\n"
                + "data: [DONE]\n\n";
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent ev : Fixtures.sse(raw)) {
            if (!t.finished()) {
                t.onEvent(ev, chunks::add);
            }
        }
        assertEquals(2, chunks.size(), "the usage-only chunk is the core's to add: " + chunks);
        assertEquals("hmm", chunks.get(0).path("choices").path(0).path("delta").path("reasoning_content").asText());
        assertEquals(Usage.of(8, 30), t.usage());
        assertTrue(t.finished());
    }

    @Test
    void streamTranslatorRecognisesCompatibleErrorEvents() {
        StreamTranslator t = adapter.newStreamTranslator(request(Operation.CHAT, CHAT + "}"));
        SseEvent ev = new SseEvent(null, null, "{\"error\":{\"message\":\"Input data may contain inappropriate "
                + "content.\",\"type\":\"data_inspection_failed\",\"param\":null,\"code\":\"data_inspection_failed\"}}");
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class, () -> t.onEvent(ev, c -> { }));
        assertEquals("content_filter", e.error().code());
    }
}
