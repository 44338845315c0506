package dev.switchboard.dist.siliconcloud;

import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.CHAT;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.PROMPT_TOKENS;
import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.REASONING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chat through a siliconcloud channel: pass-through bodies and answers, {@code reasoning_content}, and
 * SiliconFlow's cumulative usage in every chunk billed once, as its last value.
 */
class SiliconChatIT extends SiliconGateway {

    private static final String ANSWER = String.join("", FakeSiliconFlow.ANSWER);
    private static final String THOUGHTS = String.join("", FakeSiliconFlow.THOUGHTS);

    private long channel;

    @BeforeAll
    void addChannel() {
        channel = channel("siliconflow chat", FakeSiliconFlow.GOOD_KEY, CHAT, REASONING);
    }

    @Test
    void aChatAnswerPassesThroughAndItsUsageIsBilled() {
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", CHAT, "messages", userSays("Hi"),
                "min_p", 0.05, "top_k", 20, "max_tokens", 64));
        assertEquals(200, a.status(), a.toString());
        JsonNode body = a.json();
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals(ANSWER, body.path("choices").path(0).path("message").path("content").asText());
        assertEquals(PROMPT_TOKENS, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(4, body.path("usage").path("completion_tokens").asInt());

        String log = requestLog(requestId(a));
        assertEquals(PROMPT_TOKENS, logged(log, "prompt_tokens"), log);
        assertEquals(4, logged(log, "completion_tokens"), log);
        assertEquals(channel, logged(log, "channel"), log);

        FakeSiliconFlow.Received up = fake.last("/v1/chat/completions");
        assertEquals("Bearer " + FakeSiliconFlow.GOOD_KEY, up.headers().get("authorization"));
        assertEquals(0.05, up.json().path("min_p").asDouble(), "SiliconFlow's extra fields reach it untouched");
        assertEquals(20, up.json().path("top_k").asInt());
        assertEquals(64, up.json().path("max_tokens").asInt());
    }

    @Test
    void aReasoningAnswerKeepsItsReasoningContent() {
        // A continuation after finish_reason "length", as FastGPT sends it: the assistant turn keeps its reasoning.
        List<Object> messages = List.of(obj("role", "user", "content", "Hi"),
                obj("role", "assistant", "content", "Hel", "reasoning_content", "The user says hi."),
                obj("role", "user", "content", "go on"));
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", REASONING, "messages", messages,
                "enable_thinking", true, "thinking_budget", 512));
        assertEquals(200, a.status(), a.toString());
        JsonNode message = a.json().path("choices").path(0).path("message");
        assertEquals(THOUGHTS, message.path("reasoning_content").asText());
        assertEquals(ANSWER, message.path("content").asText());
        JsonNode up = fake.last("/v1/chat/completions").json();
        assertTrue(up.path("enable_thinking").asBoolean(), up.toString());
        assertEquals(512, up.path("thinking_budget").asInt(), up.toString());
        assertEquals("The user says hi.", up.path("messages").path(1).path("reasoning_content").asText(),
                up.toString());
    }

    @Test
    void aStreamBillsTheLastCumulativeUsageOnceAndShowsNoneUnasked() {
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", CHAT, "messages", userSays("Hi"),
                "stream", true));
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.headers().get("content-type").get(0).startsWith("text/event-stream"), a.headers().toString());
        List<String> events = events(a.body());
        assertEquals("[DONE]", events.get(events.size() - 1), a.body());
        StringBuilder content = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = parse(e);
            assertFalse(chunk.has("usage"), "the client did not ask for usage: " + e);
            content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals(ANSWER, content.toString());

        String id = requestId(a);
        String log = requestLog(id);
        // Every chunk carried usage: billed is the last value (19 + 4), not a sum over chunks.
        assertEquals(PROMPT_TOKENS, logged(log, "prompt_tokens"), log);
        assertEquals(4, logged(log, "completion_tokens"), log);
        assertEquals(1, requestLogLines(id), "one log line, one bill");

        JsonNode up = fake.last("/v1/chat/completions").json();
        assertTrue(up.path("stream").asBoolean());
    }

    @Test
    void reasoningContentStreamsToTheClient() {
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", REASONING, "messages", userSays("Hi"),
                "stream", true, "enable_thinking", true));
        assertEquals(200, a.status(), a.toString());
        StringBuilder thoughts = new StringBuilder();
        StringBuilder content = new StringBuilder();
        int thoughtChunks = 0;
        for (String e : events(a.body())) {
            if (e.equals("[DONE]")) {
                continue;
            }
            JsonNode delta = parse(e).path("choices").path(0).path("delta");
            if (delta.path("reasoning_content").isTextual()) {
                thoughtChunks++;
                assertTrue(content.length() == 0, "reasoning comes before the answer");
                thoughts.append(delta.get("reasoning_content").asText());
            }
            content.append(delta.path("content").asText(""));
        }
        assertEquals(THOUGHTS, thoughts.toString());
        assertEquals(FakeSiliconFlow.THOUGHTS.size(), thoughtChunks, "one delta per upstream chunk");
        assertEquals(ANSWER, content.toString());
        String log = requestLog(requestId(a));
        assertEquals(PROMPT_TOKENS, logged(log, "prompt_tokens"), log);
        assertEquals(FakeSiliconFlow.THOUGHTS.size() + FakeSiliconFlow.ANSWER.size(),
                logged(log, "completion_tokens"), log);
    }

    @Test
    void anAskedForStreamShowsUsageOnlyInOneFinalChunk() {
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", CHAT, "messages", userSays("Hi"),
                "stream", true, "stream_options", obj("include_usage", true)));
        assertEquals(200, a.status(), a.toString());
        List<String> events = events(a.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        JsonNode last = parse(events.get(events.size() - 2));
        assertEquals(0, last.path("choices").size(), "the usage chunk has choices: [] " + last);
        assertEquals(PROMPT_TOKENS, last.path("usage").path("prompt_tokens").asInt(), last.toString());
        assertEquals(4, last.path("usage").path("completion_tokens").asInt(), last.toString());
        assertEquals(PROMPT_TOKENS + 4, last.path("usage").path("total_tokens").asInt(), last.toString());
        for (String e : events.subList(0, events.size() - 2)) {
            assertFalse(parse(e).hasNonNull("usage"), "usage only in the final chunk: " + e);
        }
        String log = requestLog(requestId(a));
        assertEquals(4, logged(log, "completion_tokens"), log);
    }
}
