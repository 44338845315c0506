package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The adapter on a v2 channel: pass-through chat, translated base64 embeddings and rerank. */
@Timeout(60)
class V2AgainstFakeTest {

    private final FakeQianfan fake = FakeQianfan.start();
    private final QianfanAdapter adapter = new QianfanAdapter();
    private final MiniCore core = new MiniCore(adapter);
    private final TestChannel channel = TestChannel.v2(11, FakeQianfan.V2_KEY, fake.v2BaseUrl());

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void baseUrlsAndCredentials() throws Exception {
        TestChannel noBase = new TestChannel(1, "n", "bce-v3/k", "https://aip.baidubce.com", false,
                TestRequest.parse("{\"api_version\":\"v2\"}"));
        assertEquals("https://qianfan.baidubce.com/v2", V2Calls.baseUrl(noBase), "the v2 default, not the type's v1 one");
        assertEquals(fake.baseUrl() + "/v2", V2Calls.baseUrl(TestChannel.v2(1, "k", fake.baseUrl())),
                "a base without path gets /v2");
        assertEquals("http://proxy.example/qianfan/v2", V2Calls.baseUrl(TestChannel.v2(1, "k",
                "http://proxy.example/qianfan/v2")));

        TestRequest chat = TestRequest.chat("{\"model\":\"ernie-4.5-turbo-128k\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        UpstreamCall withAppId = adapter.prepare(chat, TestChannel.v2(1, "bce-v3/ALTAK-a/b|app-123", fake.baseUrl()),
                null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(withAppId.isPassThrough());
        assertEquals(fake.baseUrl() + "/v2/chat/completions", withAppId.url());
        assertEquals("Bearer bce-v3/ALTAK-a/b", withAppId.headers().get("Authorization"));
        assertEquals("app-123", withAppId.headers().get("appid"));
        UpstreamCall configured = adapter.prepare(chat, TestChannel.v2(1, "bce-v3/ALTAK-a/b", fake.baseUrl())
                .config("{\"api_version\":\"v2\",\"appid\":\"app-9\"}"), null).toCompletableFuture().get();
        assertEquals("app-9", configured.headers().get("appid"));
        assertEquals(0, fake.tokenExchanges(), "v2 needs no token exchange");
    }

    @Test
    void chatPassesThroughWithReasoningContent() throws Exception {
        MiniCore.Answer a = core.relay(TestRequest.chat("{\"model\":\"deepseek-r1\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}],\"web_search\":{\"enable\":true}}"), channel);
        assertEquals(200, a.status());
        assertEquals("The user greets me.", a.body().path("choices").path(0).path("message").path("reasoning_content")
                .asText());
        assertTrue(fake.calls("/v2/chat/completions").get(0).json().path("web_search").path("enable").asBoolean(),
                "unknown fields reach Qianfan");

        MiniCore.Answer s = core.relay(TestRequest.chat("{\"model\":\"deepseek-r1\",\"stream\":true,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hi\"}]}"), channel);
        assertEquals("The user greets me.", s.chunks().get(0).path("choices").path(0).path("delta")
                .path("reasoning_content").asText());
    }

    @Test
    void errorsAreRecognisedByTheirCode() throws Exception {
        MiniCore.Answer denied = core.relay(TestRequest.chat("{\"model\":\"deepseek-v3\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}"), TestChannel.v2(12, "bce-v3/wrong", fake.v2BaseUrl()));
        assertEquals(502, denied.status());
        assertTrue(denied.error().disableChannel());
        assertEquals("access_denied", denied.error().vendorCode());

        fake.script(FakeQianfan.v2Error("/v2/chat", 429, "rpm_rate_limit_exceeded", "Rate limit reached for RPM"));
        MiniCore.Answer rate = core.relay(TestRequest.chat("{\"model\":\"deepseek-v3\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}"), channel);
        assertEquals(429, rate.status());
        assertEquals("[qianfan rpm_rate_limit_exceeded] Rate limit reached for RPM", rate.error().message());

        MiniCore.Answer model = core.relay(TestRequest.chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}"), channel);
        assertEquals(404, model.status());
        assertEquals("model_not_found", model.error().code());

        fake.script(FakeQianfan.v2Error("/v2/rerankers", 200, "rpm_rate_limit_exceeded", "busy"));
        MiniCore.Answer inBody = core.relay(TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base\","
                + "\"query\":\"q\",\"documents\":[\"a\"]}"), channel);
        assertEquals(429, inBody.status(), "an error body on HTTP 200 is an error");
    }

    @Test
    void embeddingsFloatPassThroughAndBase64Translated() throws Exception {
        MiniCore.Answer f = core.relay(TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"embedding-v1\","
                + "\"input\":[\"hello\"]}"), channel);
        assertTrue(f.lastCall().isPassThrough());
        assertEquals(0.5, f.body().path("data").path(0).path("embedding").path(0).asDouble());

        MiniCore.Answer b = core.relay(TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"embedding-v1\","
                + "\"input\":[\"hello\"],\"encoding_format\":\"base64\",\"dimensions\":4}"), channel);
        assertEquals(200, b.status(), String.valueOf(b.error() == null ? "" : b.error().message()));
        assertFalse(b.lastCall().isPassThrough());
        assertFalse(fake.calls("/v2/embeddings").get(1).json().has("encoding_format"));
        assertEquals(4, fake.calls("/v2/embeddings").get(1).json().path("dimensions").asInt(), "other fields kept");
        ByteBuffer v = ByteBuffer.wrap(Base64.getDecoder().decode(b.body().path("data").path(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.5f, v.getFloat());
        assertEquals("embedding-v1", b.body().path("model").asText());
    }

    @Test
    void rerankGoesToRerankersAndComesBackInTheContractsShape() throws Exception {
        MiniCore.Answer a = core.relay(TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base\","
                + "\"query\":\"北京\",\"documents\":[{\"text\":\"上海天气\"},\"北京美食\"],\"top_n\":1}"), channel);
        assertEquals(200, a.status(), String.valueOf(a.error() == null ? "" : a.error().message()));
        assertEquals(TestRequest.parse("[\"上海天气\",\"北京美食\"]"),
                fake.calls("/v2/rerankers").get(0).json().get("documents"));
        assertEquals(TestRequest.parse("[{\"index\":1,\"relevance_score\":0.89}]"), a.body().get("results"));
        assertEquals(10, a.body().path("meta").path("tokens").path("input_tokens").asInt());
    }
}
