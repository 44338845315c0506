package dev.switchboard.dist.qianfan;

import static dev.switchboard.dist.qianfan.QianfanGateway.assertUpstreamError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
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

/** A v2 channel (OpenAI-compatible, Bearer bce-v3 key with an app id) through the distribution. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QianfanV2IT {

    private QianfanGateway gw;
    private long channel;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = new QianfanGateway(tmp);
        channel = gw.v2Channel("ernie v2", List.of("ernie-4.5-turbo-128k", "deepseek-r1", "embedding-v1",
                "bce-reranker-base", "gpt-4o"));
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @BeforeEach
    void clean() {
        gw.fake.reset();
    }

    @Test
    void chatPassesThroughWithQianfansHeadersAndReasoningContent() {
        QianfanGateway.Answer a = gw.relay("/v1/chat/completions", "{\"model\":\"deepseek-r1\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hello\"}],\"web_search\":{\"enable\":false}}");
        assertEquals(200, a.status(), a.toString());
        JsonNode message = a.json().path("choices").path(0).path("message");
        assertEquals("Hello from Qianfan v2.", message.path("content").asText());
        assertEquals("The user greets me.", message.path("reasoning_content").asText());
        assertEquals(0, a.json().path("choices").path(0).path("flag").asInt(), "Qianfan's own fields are kept");

        FakeQianfan.Call call = gw.fake.calls("/v2/chat/completions").get(0);
        assertEquals("Bearer " + FakeQianfan.V2_KEY, call.headers().get("authorization"));
        assertEquals("app-e2e", call.headers().get("appid"));
        assertTrue(call.json().path("web_search").isObject(), "unknown fields reach Qianfan");
        assertEquals(0, gw.fake.tokenExchanges(), "v2 makes no token exchange");

        Map<String, String> log = gw.logLine(a.requestId());
        assertEquals("5", log.get("prompt_tokens"));
        assertEquals("9", log.get("completion_tokens"));
    }

    @Test
    void theConsolesTestActionRunsAChatThroughTheChannel() {
        var test = gw.sb.post("/api/channels/" + channel + "/test?model=ernie-4.5-turbo-128k", QianfanGateway.ADMIN,
                QianfanGateway.map());
        assertEquals(200, test.status(), test.toString());
        assertTrue(test.json().path("success").asBoolean(), test.toString());
        assertEquals("Hello from Qianfan v2.", test.json().path("message").asText());
    }

    @Test
    void aStreamKeepsReasoningContentAndEndsWithDone() {
        QianfanGateway.Answer a = gw.relay("/v1/chat/completions", "{\"model\":\"deepseek-r1\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertEquals(200, a.status(), a.toString());
        assertEquals("[DONE]", a.events().get(a.events().size() - 1).data());
        List<JsonNode> chunks = a.chunks();
        assertEquals("The user greets me.", chunks.get(0).path("choices").path(0).path("delta")
                .path("reasoning_content").asText());
        chunks.forEach(c -> assertFalse(c.has("usage") && !c.get("usage").isNull(),
                "no usage chunk for a client that did not ask: " + c));
        assertTrue(gw.fake.calls("/v2/chat/completions").get(0).json().path("stream_options")
                .path("include_usage").asBoolean(), "the gateway asks for usage to bill it");
        assertEquals("9", gw.logLine(a.requestId()).get("completion_tokens"));

        QianfanGateway.Answer withUsage = gw.relay("/v1/chat/completions", "{\"model\":\"ernie-4.5-turbo-128k\","
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello\"}]}");
        JsonNode last = withUsage.chunks().get(withUsage.chunks().size() - 1);
        assertEquals(9, last.path("usage").path("completion_tokens").asLong(), withUsage.toString());
    }

    @Test
    void embeddingsAsFloatsAndAsBase64() {
        QianfanGateway.Answer f = gw.relay("/v1/embeddings", "{\"model\":\"embedding-v1\",\"input\":[\"hello\"]}");
        assertEquals(200, f.status(), f.toString());
        assertEquals(0.5, f.json().path("data").path(0).path("embedding").path(0).asDouble());
        assertEquals("5", gw.logLine(f.requestId()).get("prompt_tokens"));

        QianfanGateway.Answer b = gw.relay("/v1/embeddings", "{\"model\":\"embedding-v1\",\"input\":[\"hello\"],"
                + "\"encoding_format\":\"base64\"}");
        assertEquals(200, b.status(), b.toString());
        ByteBuffer v = ByteBuffer.wrap(Base64.getDecoder().decode(b.json().path("data").path(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.5f, v.getFloat());
        assertEquals(0.5f, v.getFloat());
        assertEquals(-0.25f, v.getFloat());
        assertEquals("embedding-v1", b.json().path("model").asText());
        assertEquals("5", gw.logLine(b.requestId()).get("prompt_tokens"));
    }

    @Test
    void rerankInTheContractsShape() {
        QianfanGateway.Answer a = gw.relay("/v1/rerank", "{\"model\":\"bce-reranker-base\",\"query\":\"北京\","
                + "\"documents\":[\"上海天气\",\"北京美食\"],\"return_documents\":true}");
        assertEquals(200, a.status(), a.toString());
        JsonNode r = a.json().path("results");
        assertEquals(1, r.path(0).path("index").asInt());
        assertEquals("北京美食", r.path(0).path("document").path("text").asText());
        assertEquals(10, a.json().path("usage").path("prompt_tokens").asLong());
        assertEquals("/v2/rerankers", gw.fake.calls("/v2/").get(0).path());
    }

    @Test
    void errorsReachTheClientAsTheContractSays() {
        gw.fake.script(FakeQianfan.v2Error("/v2/chat", 429, "rpm_rate_limit_exceeded", "Rate limit reached for RPM"));
        QianfanGateway.Answer rate = gw.relay("/v1/chat/completions", "{\"model\":\"ernie-4.5-turbo-128k\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertUpstreamError(rate, 429, "rate_limit_exceeded", "upstream_rate_limited", "rpm_rate_limit_exceeded",
                "[qianfan rpm_rate_limit_exceeded] Rate limit reached for RPM", channel);
        assertEquals("429", gw.logLine(rate.requestId()).get("status"));

        QianfanGateway.Answer model = gw.relay("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertUpstreamError(model, 404, "invalid_request_error", "model_not_found", "invalid_model",
                "[qianfan invalid_model] model gpt-4o is not supported", channel);

        gw.fake.script(FakeQianfan.v2Error("/v2/chat", 400, "tokens_too_long", "prompt tokens too long"));
        QianfanGateway.Answer tooLong = gw.relay("/v1/chat/completions", "{\"model\":\"ernie-4.5-turbo-128k\","
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertUpstreamError(tooLong, 400, "invalid_request_error", "context_length_exceeded", "tokens_too_long",
                "[qianfan tokens_too_long] prompt tokens too long", channel);

        gw.fake.script(FakeQianfan.v2Error("/v2/rerankers", 200, "rpm_rate_limit_exceeded", "busy"));
        QianfanGateway.Answer inBody = gw.relay("/v1/rerank", "{\"model\":\"bce-reranker-base\",\"query\":\"q\","
                + "\"documents\":[\"a\"]}");
        assertUpstreamError(inBody, 429, "rate_limit_exceeded", "upstream_rate_limited", "rpm_rate_limit_exceeded",
                "[qianfan rpm_rate_limit_exceeded] busy", channel);
    }

    @Test
    void aRejectedKeyIsTheChannelsFaultNeverA401() {
        long wrong = gw.channel(QianfanGateway.map("name", "wrong key", "type", "qianfan", "key", "bce-v3/ALTAK-x/y",
                "base_url", gw.fake.v2BaseUrl(), "models", List.of("ernie-lite-8k"), "config",
                QianfanGateway.map("api_version", "v2")));
        QianfanGateway.Answer a = gw.relay("/v1/chat/completions", "{\"model\":\"ernie-lite-8k\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertUpstreamError(a, 502, "upstream_error", "upstream_error", "access_denied",
                "[qianfan access_denied] Access denied", wrong);
    }
}
