package dev.switchboard.dist.qwen;

import static dev.switchboard.dist.qwen.QwenGateway.obj;
import static dev.switchboard.dist.qwen.QwenGateway.userSays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat through the shipped qwen plugin against a fake DashScope, in both modes, streamed and not: what the client
 * gets, what DashScope was sent, and the usage in the request log line.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QwenChatIT {

    private QwenGateway gw;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = new QwenGateway(tmp);
        gw.channel("qwen native", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native", "workspace", "ws-e2e"),
                Map.of("native-plus", "qwen-plus", "native-old", "old-text", "native-qwq", "qwq-plus",
                        "native-qwen3", "qwen3-32b"), 0);
        gw.channel("qwen compatible", FakeDashScope.GOOD_KEY, "", Map.of(),
                Map.of("compat-max", "qwen-max", "compat-qwen3", "qwen3-32b", "compat-qwq", "qwq-plus"), 0);
        gw.channel("qwen compatible, full base", FakeDashScope.GOOD_KEY, "/compatible-mode/v1", Map.of(),
                Map.of("compat-full-base", "qwen-max"), 0);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void theDistributionShipsThePluginAndItsTypeIsListed() throws Exception {
        Path jar = gw.dist.pluginJar("switchboard-plugin-qwen");
        assertTrue(Files.size(jar) > 0);
        JsonNode types = gw.sb.get("/api/channel-types", QwenGateway.ADMIN).json();
        JsonNode qwen = null;
        for (JsonNode t : types.path("data")) {
            if (t.path("id").asText().equals("qwen")) {
                qwen = t;
            }
        }
        assertNotNull(qwen, types.toString());
        assertEquals("dev.switchboard.plugin.qwen", qwen.path("plugin").path("symbolic_name").asText());
        assertEquals("https://dashscope.aliyuncs.com", qwen.path("default_base_url").asText());
        List<String> fields = new ArrayList<>();
        qwen.path("config_fields").forEach(f -> fields.add(f.path("name").asText()));
        assertEquals(List.of("mode", "region", "workspace"), fields);
        assertTrue(qwen.path("operations").toString().contains("rerank"), qwen.toString());

        var answer = gw.sb.post("/api/channels", QwenGateway.ADMIN, Map.of("name", "bad mode", "type", "qwen",
                "key", "sk-x", "config", Map.of("mode", "turbo")));
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.body().contains("config.mode"), answer.toString());
    }

    @Test
    void nativeNonStream() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-plus", "messages", List.of(
                Map.of("role", "developer", "content", "Be brief."), Map.of("role", "user", "content", "Hi")),
                "max_completion_tokens", 64, "top_p", 1.0, "temperature", 0.5));
        assertEquals(200, r.status(), r.toString());
        JsonNode body = r.json();
        assertEquals("chat.completion", body.path("object").asText());
        assertTrue(body.path("id").asText().startsWith("fake-"), "request_id is the id: " + body);
        assertEquals("native-plus", body.path("model").asText());
        assertEquals(FakeDashScope.TEXT, body.path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", body.path("choices").path(0).path("finish_reason").asText());
        assertEquals(FakeDashScope.PROMPT_TOKENS, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(4, body.path("usage").path("completion_tokens").asInt());

        FakeDashScope.Received sent = gw.fake.lastFor("qwen-plus");
        assertEquals("/api/v1/services/aigc/text-generation/generation", sent.path());
        assertEquals("Bearer " + FakeDashScope.GOOD_KEY, sent.header("Authorization"));
        assertEquals("ws-e2e", sent.header("X-DashScope-WorkSpace"));
        assertEquals("system", sent.body().path("input").path("messages").path(0).path("role").asText());
        JsonNode p = sent.body().path("parameters");
        assertEquals("message", p.path("result_format").asText());
        assertEquals(64, p.path("max_tokens").asInt());
        assertEquals(0.9999, p.path("top_p").asDouble());

        Map<String, String> log = gw.logLine(r.requestId());
        assertEquals("200", log.get("status"));
        assertEquals(String.valueOf(FakeDashScope.PROMPT_TOKENS), log.get("prompt_tokens"));
        assertEquals("4", log.get("completion_tokens"));
        assertEquals("qwen-plus", log.get("upstream_model"));
    }

    @Test
    void nativeStreamWithUsage() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-plus", "messages", userSays("Hi"), "stream", true,
                "stream_options", Map.of("include_usage", true)));
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        List<String> events = r.events();
        assertEquals("[DONE]", events.get(events.size() - 1), "ends with [DONE]: " + events);
        List<JsonNode> chunks = r.chunks();
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText());
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (JsonNode c : chunks) {
            JsonNode choice = c.path("choices").path(0);
            text.append(choice.path("delta").path("content").asText(""));
            if (!choice.path("finish_reason").isNull() && !choice.path("finish_reason").isMissingNode()) {
                finish = choice.path("finish_reason").asText();
            }
        }
        assertEquals(FakeDashScope.TEXT, text.toString());
        assertEquals("stop", finish);
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertEquals(0, usage.path("choices").size(), "the usage chunk comes last, with no choices: " + usage);
        assertEquals(FakeDashScope.PROMPT_TOKENS, usage.path("usage").path("prompt_tokens").asInt());
        assertEquals(4, usage.path("usage").path("completion_tokens").asInt(), "cumulative usage billed once");

        FakeDashScope.Received sent = gw.fake.lastFor("qwen-plus");
        assertEquals("enable", sent.header("X-DashScope-SSE"));
        assertTrue(sent.body().path("parameters").path("incremental_output").asBoolean());

        Map<String, String> log = gw.logLine(r.requestId());
        assertEquals("true", log.get("stream"));
        assertEquals(String.valueOf(FakeDashScope.PROMPT_TOKENS), log.get("prompt_tokens"));
        assertEquals("4", log.get("completion_tokens"), "the last cumulative value, not a sum");
    }

    @Test
    void nativeStreamWithoutUsageAskedStillBills() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-plus", "messages", userSays("Hi"), "stream", true));
        assertEquals(200, r.status(), r.toString());
        for (JsonNode c : r.chunks()) {
            assertFalse(c.has("usage"), "no usage for a client that did not ask: " + c);
            assertEquals(1, c.path("choices").size());
        }
        assertEquals("4", gw.logLine(r.requestId()).get("completion_tokens"));
    }

    @Test
    void nativeStreamedToolCallReassembles() throws Exception {
        QwenGateway.Reply r = gw.chat(obj("model", "native-plus", "messages", userSays("Weather in Hangzhou?"),
                "stream", true, "tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather",
                        "parameters", Map.of("type", "object"))))));
        assertEquals(200, r.status(), r.toString());
        // Read as FastGPT and the OpenAI SDKs do: group tool deltas by index.
        String id = null;
        String name = null;
        StringBuilder args = new StringBuilder();
        String finish = null;
        int headers = 0;
        for (JsonNode c : r.chunks()) {
            JsonNode choice = c.path("choices").path(0);
            for (JsonNode d : choice.path("delta").path("tool_calls")) {
                assertEquals(0, d.path("index").asInt());
                if (d.has("id")) {
                    headers++;
                    id = d.path("id").asText();
                    assertEquals("function", d.path("type").asText());
                    name = d.path("function").path("name").asText();
                }
                args.append(d.path("function").path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.path("finish_reason").asText();
            }
        }
        assertEquals(1, headers, "id, type and name come once");
        assertEquals("call_fake_1", id);
        assertEquals("get_weather", name);
        assertEquals(QwenGateway.JSON.readTree(FakeDashScope.TOOL_ARGUMENTS), QwenGateway.JSON.readTree(args.toString()));
        assertEquals("tool_calls", finish);
        assertTrue(gw.fake.lastFor("qwen-plus").body().path("parameters").path("tools").isArray(), "tools sent");
    }

    @Test
    void nativeNonStreamToolCall() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-plus", "messages", userSays("Weather?"), "tools",
                List.of(Map.of("type", "function", "function", Map.of("name", "get_weather")))));
        assertEquals(200, r.status(), r.toString());
        JsonNode message = r.json().path("choices").path(0).path("message");
        assertEquals("get_weather", message.path("tool_calls").path(0).path("function").path("name").asText());
        assertEquals(FakeDashScope.TOOL_ARGUMENTS, message.path("tool_calls").path(0).path("function")
                .path("arguments").asText());
        assertEquals("tool_calls", r.json().path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void nativeOlderTextForm() {
        QwenGateway.Reply once = gw.chat(obj("model", "native-old", "messages", userSays("Hi")));
        assertEquals(200, once.status(), once.toString());
        assertEquals(FakeDashScope.TEXT, once.json().path("choices").path(0).path("message").path("content").asText());

        QwenGateway.Reply streamed = gw.chat(obj("model", "native-old", "messages", userSays("Hi"), "stream", true));
        StringBuilder text = new StringBuilder();
        streamed.chunks().forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        assertEquals(FakeDashScope.TEXT, text.toString());
    }

    @Test
    void nativeQwen3WithoutStreamHasThinkingOff() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-qwen3", "messages", userSays("Hi")));
        assertEquals(200, r.status(), r.toString());
        assertFalse(gw.fake.lastFor("qwen3-32b").body().path("parameters").path("enable_thinking").asBoolean(true));
    }

    @Test
    void compatibleNonStreamIsPassedThrough() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-max", "messages", userSays("Hi"), "x_vendor_field",
                Map.of("kept", true)));
        assertEquals(200, r.status(), r.toString());
        assertEquals(FakeDashScope.TEXT, r.json().path("choices").path(0).path("message").path("content").asText());
        FakeDashScope.Received sent = gw.fake.lastFor("qwen-max");
        assertEquals("/compatible-mode/v1/chat/completions", sent.path(), "compatible mode appends its path");
        assertTrue(sent.body().path("x_vendor_field").path("kept").asBoolean(), "unknown fields reach DashScope");
        Map<String, String> log = gw.logLine(r.requestId());
        assertEquals(String.valueOf(FakeDashScope.PROMPT_TOKENS), log.get("prompt_tokens"));
        assertEquals("4", log.get("completion_tokens"));
    }

    @Test
    void compatibleBaseIsNotAppendedTwice() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-full-base", "messages", userSays("Hi")));
        assertEquals(200, r.status(), r.toString());
        List<FakeDashScope.Received> all = gw.fake.received();
        assertEquals("/compatible-mode/v1/chat/completions", all.get(all.size() - 1).path());
    }

    @Test
    void compatibleStream() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-max", "messages", userSays("Hi"), "stream", true));
        assertEquals(200, r.status(), r.toString());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : r.chunks()) {
            assertFalse(c.has("usage") && c.path("choices").isEmpty(), "no usage chunk unless asked: " + c);
            text.append(c.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals(FakeDashScope.TEXT, text.toString());
        assertEquals("[DONE]", r.events().get(r.events().size() - 1));
        assertTrue(gw.fake.lastFor("qwen-max").body().path("stream_options").path("include_usage").asBoolean(),
                "the gateway asks for usage itself");
        assertEquals("4", gw.logLine(r.requestId()).get("completion_tokens"));
    }

    @Test
    void compatibleQwen3WithoutStreamHasThinkingOff() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-qwen3", "messages", userSays("Hi")));
        assertEquals(200, r.status(), "the fake refuses qwen3 without stream unless thinking is off: " + r);
        assertFalse(gw.fake.lastFor("qwen3-32b").body().path("enable_thinking").asBoolean(true));
        assertEquals(FakeDashScope.TEXT, r.json().path("choices").path(0).path("message").path("content").asText());
        assertEquals("4", gw.logLine(r.requestId()).get("completion_tokens"));
    }

    @Test
    void compatibleQwqStreamedByTheClient() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-qwq", "messages", userSays("Hi"), "stream", true));
        assertEquals(200, r.status(), r.toString());
        assertEquals("Thinking.", r.chunks().get(1).path("choices").path(0).path("delta").path("reasoning_content")
                .asText(), "reasoning_content passes through");
    }

    @Test
    void compatibleQwqWithoutStreamIsStreamedUpstreamAndAssembled() {
        QwenGateway.Reply r = gw.chat(obj("model", "compat-qwq", "messages", userSays("Hi")));
        assertTrue(gw.fake.lastFor("qwq-plus").body().path("stream").asBoolean(), "streamed upstream");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode body = r.json();
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals(FakeDashScope.TEXT, body.path("choices").path(0).path("message").path("content").asText());
        assertEquals("4", gw.logLine(r.requestId()).get("completion_tokens"));
    }

    @Test
    void nativeQwqWithoutStreamIsStreamedUpstreamAndAssembled() {
        QwenGateway.Reply r = gw.chat(obj("model", "native-qwq", "messages", userSays("Hi")));
        assertEquals("enable", gw.fake.lastFor("qwq-plus").header("X-DashScope-SSE"), "streamed upstream");
        assertEquals(200, r.status(), r.toString());
        assertEquals("chat.completion", r.json().path("object").asText());
        assertEquals(FakeDashScope.TEXT, r.json().path("choices").path(0).path("message").path("content").asText());
    }
}
