package dev.switchboard.dist.qianfan;

import static dev.switchboard.dist.qianfan.QianfanGateway.assertUpstreamError;
import static dev.switchboard.dist.qianfan.QianfanGateway.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A v1 channel (API_KEY|SECRET_KEY, token exchange, HTTP-200 errors, is_end streams) through the distribution. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QianfanV1IT {

    private static final String HELLO = "{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final long PROMPT = "Be brief.Hello".length();

    private QianfanGateway gw;
    private long channel;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = new QianfanGateway(tmp);
        channel = gw.v1Channel("ernie v1", List.of("ERNIE-4.0-8K", "ERNIE-3.5-8K", "ernie-fast", "Embedding-V1",
                "bge-large-zh", "bce-reranker-base_v1", "no-such-model"));
        gw.sb.put("/api/channels/" + channel, QianfanGateway.ADMIN, map("model_mapping",
                map("ernie-fast", "ERNIE-Speed-128K")));
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @BeforeEach
    void clean() {
        gw.fake.reset();
        gw.fake.streamPause(Duration.ZERO);
    }

    private QianfanGateway.Answer chat(String body) {
        return gw.relay("/v1/chat/completions", body);
    }

    @Test
    void chatIsTranslatedBothWaysAndItsUsageLogged() {
        QianfanGateway.Answer a = chat(HELLO);
        assertEquals(200, a.status(), a.toString());
        JsonNode b = a.json();
        assertEquals("chat.completion", b.path("object").asText());
        assertEquals("ERNIE-4.0-8K", b.path("model").asText());
        assertTrue(b.path("id").asText().startsWith("as-fake"), b.toString());
        assertEquals("Hello from ERNIE.", b.path("choices").path(0).path("message").path("content").asText());
        assertEquals("assistant", b.path("choices").path(0).path("message").path("role").asText());
        assertEquals("stop", b.path("choices").path(0).path("finish_reason").asText());
        assertEquals(PROMPT, b.path("usage").path("prompt_tokens").asLong());
        assertEquals(6, b.path("usage").path("completion_tokens").asLong());
        assertEquals(PROMPT + 6, b.path("usage").path("total_tokens").asLong());

        FakeQianfan.Call call = gw.fake.calls("/wenxinworkshop/").get(0);
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro", call.path());
        assertEquals("Be brief.", call.json().path("system").asText());
        assertEquals(1, call.json().path("messages").size());

        Map<String, String> log = gw.logLine(a.requestId());
        assertEquals("200", log.get("status"));
        assertEquals(String.valueOf(channel), log.get("channel"));
        assertEquals(String.valueOf(PROMPT), log.get("prompt_tokens"));
        assertEquals("6", log.get("completion_tokens"));
        assertFalse(gw.sb.stdout().contains(call.query().get("access_token")), "the token is never logged");
        assertFalse(gw.sb.stdout().contains(FakeQianfan.SECRET_KEY), "the secret key is never logged");
    }

    @Test
    void theConsolesTestActionRunsAChatThroughTheChannel() {
        var test = gw.sb.post("/api/channels/" + channel + "/test?model=ERNIE-3.5-8K", QianfanGateway.ADMIN, map());
        assertEquals(200, test.status(), test.toString());
        assertTrue(test.json().path("success").asBoolean(), test.toString());
        assertEquals("Hello from ERNIE.", test.json().path("message").asText());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions",
                gw.fake.calls("/wenxinworkshop/").get(0).path());
    }

    @Test
    void theTokenIsExchangedOnceForManyRequests() {
        assertEquals(200, chat(HELLO).status());
        int warm = gw.fake.tokenExchanges();
        assertTrue(warm >= 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, chat(HELLO).status());
        }
        assertEquals(warm, gw.fake.tokenExchanges(), "the cached token serves every request");
    }

    @Test
    void aStreamArrivesEventByEventAndEndsWithTheUsageChunkAndDone() {
        gw.fake.streamPause(Duration.ofMillis(500));
        QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-4.0-8K\",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.contentType().startsWith("text/event-stream"), a.toString());
        List<QianfanGateway.Event> events = a.events();
        assertEquals("[DONE]", events.get(events.size() - 1).data(), "the gateway adds [DONE]");
        List<JsonNode> chunks = a.chunks();
        assertEquals(5, chunks.size(), a.toString());
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText());
        StringBuilder text = new StringBuilder();
        chunks.subList(0, 3).forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText()));
        assertEquals("Hello from ERNIE.", text.toString());
        assertEquals("stop", chunks.get(3).path("choices").path(0).path("finish_reason").asText());
        JsonNode usage = chunks.get(4);
        assertEquals(0, usage.path("choices").size(), "the usage chunk has no choices");
        assertEquals("Hello".length(), usage.path("usage").path("prompt_tokens").asLong());
        assertEquals(6, usage.path("usage").path("completion_tokens").asLong(), "the last non-zero count");
        chunks.forEach(c -> assertEquals("ERNIE-4.0-8K", c.path("model").asText()));
        long firstToLast = events.get(3).nanos() - events.get(0).nanos();
        assertTrue(firstToLast >= Duration.ofMillis(500).toNanos(), "the first event came before the pauses"
                + " ended, not with the rest (" + firstToLast / 1_000_000 + " ms apart)");

        Map<String, String> log = gw.logLine(a.requestId());
        assertEquals("true", log.get("stream"));
        assertEquals("5", log.get("prompt_tokens"));
        assertEquals("6", log.get("completion_tokens"));
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsageChunkButIsBilled() {
        QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-4.0-8K\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertEquals(4, a.chunks().size(), a.toString());
        a.chunks().forEach(c -> assertFalse(c.has("usage"), c.toString()));
        assertEquals("6", gw.logLine(a.requestId()).get("completion_tokens"));
    }

    @Test
    void theChannelsModelMappingPicksTheEndpointAndTheClientSeesItsOwnName() {
        QianfanGateway.Answer a = chat("{\"model\":\"ernie-fast\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertEquals("ernie-fast", a.json().path("model").asText());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-speed-128k",
                gw.fake.calls("/wenxinworkshop/").get(0).path());
    }

    @Test
    void aContentFilteredAnswerEndsWithContentFilter() {
        QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-3.5-8K\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Tell me about a forbidden topic\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertEquals("content_filter", a.json().path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void embeddingsAsFloatsAndAsBase64() {
        QianfanGateway.Answer f = gw.relay("/v1/embeddings", "{\"model\":\"Embedding-V1\",\"input\":[\"hello\","
                + "\"world!\"]}");
        assertEquals(200, f.status(), f.toString());
        JsonNode b = f.json();
        assertEquals("list", b.path("object").asText());
        assertEquals("Embedding-V1", b.path("model").asText());
        assertEquals(2, b.path("data").size());
        assertEquals(0.5, b.path("data").path(0).path("embedding").path(0).asDouble());
        assertEquals(11, b.path("usage").path("prompt_tokens").asLong());
        assertEquals("11", gw.logLine(f.requestId()).get("prompt_tokens"));

        QianfanGateway.Answer e = gw.relay("/v1/embeddings", "{\"model\":\"bge-large-zh\",\"input\":\"hello\","
                + "\"encoding_format\":\"base64\"}");
        assertEquals(200, e.status(), e.toString());
        ByteBuffer v = ByteBuffer.wrap(Base64.getDecoder().decode(e.json().path("data").path(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16, v.remaining());
        assertEquals(0.5f, v.getFloat());
        assertEquals(0.5f, v.getFloat());
        assertEquals(-0.25f, v.getFloat());
        assertEquals((float) (1.0 / 3.0), v.getFloat());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/embeddings/bge_large_zh",
                gw.fake.calls("/wenxinworkshop/").get(1).path());
    }

    @Test
    void rerankInTheContractsShape() {
        QianfanGateway.Answer a = gw.relay("/v1/rerank", "{\"model\":\"bce-reranker-base_v1\",\"query\":\"北京\","
                + "\"documents\":[\"上海天气\",\"北京美食\",\"北京天气\"],\"top_n\":2,\"return_documents\":true}");
        assertEquals(200, a.status(), a.toString());
        JsonNode b = a.json();
        assertEquals("bce-reranker-base_v1", b.path("model").asText());
        assertEquals(2, b.path("results").size());
        assertEquals(1, b.path("results").path(0).path("index").asInt());
        assertEquals("北京美食", b.path("results").path(0).path("document").path("text").asText());
        assertTrue(b.path("results").path(0).path("relevance_score").asDouble()
                > b.path("results").path(1).path("relevance_score").asDouble(), "best first");
        assertEquals(14, b.path("meta").path("tokens").path("input_tokens").asLong());
        assertEquals(14, b.path("usage").path("prompt_tokens").asLong());
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/reranker/bce_reranker_base",
                gw.fake.calls("/wenxinworkshop/").get(0).path());
        assertEquals("14", gw.logLine(a.requestId()).get("prompt_tokens"));
    }

    @ParameterizedTest(name = "error_code {0} -> {2} {4}")
    @CsvSource({
            "18, Open api qps request limit reached, 429, rate_limit_exceeded, upstream_rate_limited",
            "336501, Rate limit reached for RPM, 429, rate_limit_exceeded, upstream_rate_limited",
            "336003, the length of messages must be an odd number, 400, invalid_request_error, invalid_value",
            "336002, Invalid JSON, 400, invalid_request_error, invalid_json",
            "14, IAM Certification failed, 502, upstream_error, upstream_error",
            "6, No permission to access data, 502, upstream_error, upstream_error",
            "17, Open api daily request limit reached, 502, upstream_error, upstream_error",
            "336100, try again later, 502, upstream_error, upstream_error",
            "282000, internal error, 502, upstream_error, upstream_error"})
    void eachErrorClassReachesTheClientAsTheContractSays(long code, String message, int status, String type,
            String clientCode) {
        for (boolean stream : new boolean[] {false, true}) {
            gw.fake.script(FakeQianfan.v1Error("/chat/", code, message));
            QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-4.0-8K\",\"stream\":" + stream + ",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"Hello\"}]}");
            assertUpstreamError(a, status, type, clientCode, String.valueOf(code), "[qianfan " + code + "] "
                    + message, channel);
            assertNotEquals(401, a.status(), "never a 401 for a vendor problem");
            Map<String, String> log = gw.logLine(a.requestId());
            assertEquals(String.valueOf(status), log.get("status"), "stream " + stream);
            assertEquals("0", log.get("completion_tokens"));
            // Baidu's status enforcement is per channel; set the channel back for the next case (the core may
            // auto-disable it on a disabling verdict).
            gw.sb.post("/api/channels/" + channel + "/enable", QianfanGateway.ADMIN, map());
        }
    }

    @Test
    void aConversationBaiduCannotTakeIsRefusedByTheGateway() {
        QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"assistant\","
                + "\"content\":\"Hi, how can I help?\"},{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(400, a.status(), a.toString());
        assertEquals("invalid_request_error", a.error().path("type").asText());
        assertEquals("messages[0]", a.error().path("param").asText());
        assertTrue(a.error().path("message").asText().contains("start with a user message"), a.toString());
        assertTrue(gw.fake.calls("/wenxinworkshop/").isEmpty(), "Baidu was not asked");
    }

    @Test
    void anUnknownEndpointIsBaidusErrorThreeNotAConfusingSuccess() {
        QianfanGateway.Answer a = chat("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}]}");
        assertUpstreamError(a, 502, "upstream_error", "upstream_error", "3", "[qianfan 3] Unsupported openapi method",
                channel);
        assertEquals("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/no-such-model",
                gw.fake.calls("/wenxinworkshop/").get(0).path(), "unlisted models use the lower-cased name");
    }

    @Test
    void aRefusedKeyIsTheChannelsFaultWithBaidusDescriptionNeverA401() {
        long wrong = gw.channel(map("name", "wrong secret", "type", "qianfan", "key", FakeQianfan.API_KEY + "|wrong",
                "base_url", gw.fake.baseUrl(), "models", List.of("ERNIE-Tiny-8K")));
        QianfanGateway.Answer a = chat("{\"model\":\"ERNIE-Tiny-8K\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}]}");
        assertUpstreamError(a, 502, "upstream_error", "upstream_error", "invalid_client",
                "[qianfan invalid_client] Client authentication failed", wrong);
        assertTrue(gw.fake.calls("/wenxinworkshop/").isEmpty(), "no call without a token");
        assertFalse(gw.sb.stdout().contains("client_secret="), "the token URL is never logged");
    }

    @Test
    void afterAnExpiredTokenTheNextRequestFetchesANewOne() {
        assertEquals(200, chat(HELLO).status());
        int exchanges = gw.fake.tokenExchanges();
        gw.fake.expireTokens();
        chat(HELLO); // answered 111: the adapter drops the token (and the core may re-send at once)
        QianfanGateway.Answer after = chat(HELLO);
        assertEquals(200, after.status(), after.toString());
        assertEquals(exchanges + 1, gw.fake.tokenExchanges(), "one new exchange");
    }
}
