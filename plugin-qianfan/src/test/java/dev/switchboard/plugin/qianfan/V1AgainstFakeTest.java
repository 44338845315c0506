package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The adapter on a v1 channel, driven as the core drives it, against the fake Qianfan. */
@Timeout(60)
class V1AgainstFakeTest {

    private final FakeQianfan fake = FakeQianfan.start();
    private final QianfanAdapter adapter = new QianfanAdapter();
    private final MiniCore core = new MiniCore(adapter);
    private final TestChannel channel = TestChannel.v1(3, fake.v1Key(), fake.baseUrl());

    @AfterEach
    void stop() {
        fake.close();
    }

    private static TestRequest hi(boolean stream) {
        return TestRequest.chat("{\"model\":\"ERNIE-4.0-8K\",\"stream\":" + stream + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }

    @Test
    void chatWithTheTokenInTheQueryAndTheAnswerInOpenAisShape() throws Exception {
        MiniCore.Answer a = core.relay(hi(false), channel);
        assertEquals(200, a.status(), String.valueOf(a.error() == null ? "" : a.error().message()));
        assertEquals("Hello from ERNIE.", a.body().path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", a.body().path("choices").path(0).path("finish_reason").asText());
        assertEquals("ERNIE-4.0-8K", a.body().path("model").asText());
        assertTrue(a.body().path("id").asText().startsWith("as-"));
        assertEquals(Usage.of("Be brief.Hello".length(), 6), a.usage());
        FakeQianfan.Call call = fake.calls("/wenxinworkshop/").get(0);
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro", call.path());
        assertTrue(call.query().get("access_token").startsWith("24."));
        assertEquals("Be brief.", call.json().path("system").asText());
        FakeQianfan.Call token = fake.calls("/oauth/2.0/token").get(0);
        assertEquals("POST", token.method());
        assertEquals("client_credentials", token.query().get("grant_type"));
        assertEquals(FakeQianfan.API_KEY, token.query().get("client_id"));
        assertEquals("", token.body(), "the exchange has no body");
    }

    @Test
    void aStreamWithoutDoneEndsOnIsEnd() throws Exception {
        MiniCore.Answer a = core.relay(hi(true), channel);
        assertEquals(200, a.status());
        assertTrue(a.lastCall().isStream());
        List<String> texts = a.chunks().stream().map(c -> c.path("choices").path(0).path("delta").path("content")
                .asText("")).toList();
        assertEquals(List.of("Hello", " from", " ERNIE.", ""), texts);
        assertEquals("stop", a.chunks().get(3).path("choices").path(0).path("finish_reason").asText());
        assertEquals(Usage.of("Be brief.Hello".length(), 6), a.usage(), "completion 0 early, the last count kept");
    }

    @Test
    void anErrorInPlaceOfAStreamIsAProperError() throws Exception {
        fake.script(FakeQianfan.v1Error("/chat/", 18, "Open api qps request limit reached"));
        MiniCore.Answer a = core.relay(hi(true), channel);
        assertEquals(429, a.status());
        assertEquals("18", a.error().vendorCode());
        assertTrue(a.chunks().isEmpty());
    }

    @Test
    void anExpiredTokenIsDroppedFetchedAnewAndTheCallSentOnceMore() throws Exception {
        core.relay(hi(false), channel);
        assertEquals(1, fake.tokenExchanges());
        fake.expireTokens();
        MiniCore.Answer a = core.relay(hi(false), channel);
        assertEquals(200, a.status(), String.valueOf(a.error() == null ? "" : a.error().message()));
        assertEquals(2, a.sends(), "re-prepared and re-sent once");
        assertEquals(2, fake.tokenExchanges());

        fake.revokeTokens();
        MiniCore.Answer b = core.relay(hi(true), channel);
        assertEquals(200, b.status());
        assertEquals(2, b.sends());
        assertEquals(3, fake.tokenExchanges());
    }

    @Test
    void a110AfterReAuthenticationDisablesTheChannel() throws Exception {
        core.relay(hi(false), channel);
        fake.script(FakeQianfan.v1Error("/chat/", 110, "Access token invalid or no longer valid"));
        fake.script(FakeQianfan.v1Error("/chat/", 110, "Access token invalid or no longer valid"));
        MiniCore.Answer a = core.relay(hi(false), channel);
        assertEquals(2, a.sends());
        assertEquals(502, a.status());
        assertTrue(a.error().disableChannel());
        assertEquals("[qianfan 110] Access token invalid or no longer valid", a.error().message());
    }

    @Test
    void aRefusedKeyFailsPrepareWithBaidusDescriptionAndDisables() throws Exception {
        TestChannel wrongSecret = TestChannel.v1(4, FakeQianfan.API_KEY + "|wrong", fake.baseUrl());
        MiniCore.Answer a = core.relay(hi(false), wrongSecret);
        assertEquals(0, a.sends());
        assertEquals(502, a.status());
        assertTrue(a.error().disableChannel());
        assertEquals("[qianfan invalid_client] Client authentication failed", a.error().message());

        MiniCore.Answer unknown = core.relay(hi(false), TestChannel.v1(5, "nobody|x", fake.baseUrl()));
        assertEquals("[qianfan invalid_client] unknown client id", unknown.error().message());

        MiniCore.Answer malformed = core.relay(hi(false), TestChannel.v1(6, "bce-v3/ALTAK-x/y", fake.baseUrl()));
        assertTrue(malformed.error().disableChannel());
        assertTrue(malformed.error().message().contains("api_version to v2"), malformed.error().message());
        assertEquals(2, fake.tokenExchanges(), "a malformed key makes no exchange");
    }

    @Test
    void anUnreachableTokenEndpointIsARetryableChannelFault() throws Exception {
        MiniCore.Answer a = core.relay(hi(false), TestChannel.v1(9, fake.v1Key(), "http://127.0.0.1:9"));
        assertEquals(502, a.status());
        assertTrue(a.error().retryable());
        assertFalse(a.error().disableChannel());
        assertTrue(a.error().message().startsWith("[qianfan] the access token exchange failed"), a.error().message());
        assertFalse(a.error().message().contains("client_secret"), "never the URL");
    }

    @Test
    void aBadConversationIsRefusedBeforeAnyTokenExchange() throws Exception {
        MiniCore.Answer a = core.relay(TestRequest.chat("{\"model\":\"ERNIE-4.0-8K\",\"messages\":["
                + "{\"role\":\"assistant\",\"content\":\"Hi!\"},{\"role\":\"user\",\"content\":\"Hello\"}]}"), channel);
        assertEquals(400, a.status());
        assertEquals(0, fake.tokenExchanges());
    }

    @Test
    void contentFilterAndFunctionCalls() throws Exception {
        MiniCore.Answer filtered = core.relay(TestRequest.chat("{\"model\":\"ERNIE-3.5-8K\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"a forbidden topic\"}]}"), channel);
        assertEquals("content_filter", filtered.body().path("choices").path(0).path("finish_reason").asText());

        MiniCore.Answer stream = core.relay(TestRequest.chat("{\"model\":\"ERNIE-3.5-8K\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a forbidden topic\"}]}"), channel);
        assertEquals("content_filter", stream.chunks().get(stream.chunks().size() - 1).path("choices").path(0)
                .path("finish_reason").asText());

        MiniCore.Answer tool = core.relay(TestRequest.chat("{\"model\":\"ERNIE-3.5-8K\",\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"weather in Beijing?\"}]}"), channel);
        JsonNode choice = tool.body().path("choices").path(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        assertEquals("get_weather", choice.path("message").path("tool_calls").path(0).path("function").path("name")
                .asText());
    }

    @Test
    void everyBaiduRuleTheFakeChecksHoldsForTranslatedRequests() throws Exception {
        MiniCore.Answer a = core.relay(TestRequest.chat("{\"model\":\"ERNIE-Speed-128K\",\"max_tokens\":1,"
                + "\"temperature\":0,\"frequency_penalty\":-1,\"user\":\"u\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"},"
                + "{\"role\":\"assistant\",\"content\":\"c\"},{\"role\":\"developer\",\"content\":\"d\"},"
                + "{\"role\":\"user\",\"content\":\"e\"}]}"), channel);
        assertEquals(200, a.status(), String.valueOf(a.error() == null ? "" : a.error().message()));
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-speed-128k",
                fake.calls("/wenxinworkshop/").get(0).path());
    }

    @Test
    void aCustomEndpointFromTheChannelConfig() throws Exception {
        TestChannel custom = channel.config("{\"endpoints\":{\"my-ernie\":\"custom-deploy-1\"}}");
        MiniCore.Answer a = core.relay(TestRequest.chat("{\"model\":\"my-ernie\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}"), custom);
        assertEquals(200, a.status());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/custom-deploy-1",
                fake.calls("/wenxinworkshop/").get(0).path());
        MiniCore.Answer unknown = core.relay(TestRequest.chat("{\"model\":\"no-such-model\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}"), channel);
        assertEquals(502, unknown.status(), "Baidu's error 3 for an unknown endpoint: another channel may serve it");
        assertEquals("3", unknown.error().vendorCode());
    }

    @Test
    void embeddingsInFloatAndBase64() throws Exception {
        MiniCore.Answer f = core.relay(TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"Embedding-V1\","
                + "\"input\":[\"hello\",\"world!\"]}"), channel);
        assertEquals(200, f.status());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/embeddings/embedding-v1",
                fake.calls("/wenxinworkshop/").get(0).path());
        assertEquals(TestRequest.parse("[0.5,0.5,-0.25,0.3333333333333333]"),
                f.body().path("data").path(0).path("embedding"));
        assertEquals(Usage.of(11, 0), f.usage());

        MiniCore.Answer b = core.relay(TestRequest.of(Operation.EMBEDDINGS, "{\"model\":\"bge-large-zh\","
                + "\"input\":\"hello\",\"encoding_format\":\"base64\"}"), channel);
        ByteBuffer v = ByteBuffer.wrap(Base64.getDecoder().decode(b.body().path("data").path(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.5f, v.getFloat());
        assertEquals(0.5f, v.getFloat());
        assertEquals(-0.25f, v.getFloat());
        assertEquals((float) (1.0 / 3.0), v.getFloat());
        assertFalse(fake.calls("/embeddings/bge_large_zh").get(0).json().has("encoding_format"));
    }

    @Test
    void rerankInTheContractsShape() throws Exception {
        MiniCore.Answer a = core.relay(TestRequest.of(Operation.RERANK, "{\"model\":\"bce-reranker-base_v1\","
                + "\"query\":\"北京\",\"documents\":[\"上海天气\",\"北京美食\"],\"return_documents\":true}"), channel);
        assertEquals(200, a.status());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/reranker/bce_reranker_base",
                fake.calls("/wenxinworkshop/").get(0).path());
        assertEquals(TestRequest.parse("[{\"index\":1,\"relevance_score\":0.89,\"document\":{\"text\":\"北京美食\"}},"
                + "{\"index\":0,\"relevance_score\":0.1,\"document\":{\"text\":\"上海天气\"}}]"), a.body().get("results"));
        assertEquals(Usage.of(10, 0), a.usage());
        assertNull(a.error());
    }
}
