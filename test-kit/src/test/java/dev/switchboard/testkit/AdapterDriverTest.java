package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamSink;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AdapterDriverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Echoes the upstream's "text" field as a completion; 401 refreshes once; streams upper-case events. */
    static final class EchoAdapter implements ProviderAdapter {
        final List<String> prepared = new ArrayList<>();

        @Override
        public ChannelType channelType() {
            return ChannelType.builder("echo").defaultBaseUrl("http://127.0.0.1:9").build();
        }

        @Override
        public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
            prepared.add(channel.key());
            return CompletableFuture.completedFuture(UpstreamCall.translated("POST", channel.baseUrl() + "/echo",
                    "{}".getBytes(), "application/json").header("X-Key", channel.key()).stream(request.stream())
                    .build());
        }

        @Override
        public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body) {
            ObjectNode c = JSON.createObjectNode().put("id", "e").put("object", "chat.completion").put("created", 1)
                    .put("model", request.model());
            ObjectNode choice = c.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", body.path("text").asText());
            return new TranslatedResponse(c, Usage.of(1, 1));
        }

        @Override
        public StreamTranslator newStreamTranslator(RelayRequest request) {
            return new StreamTranslator() {
                final List<String> seen = new ArrayList<>();

                @Override
                public void onEvent(SseEvent event, StreamSink sink) {
                    seen.add(event.data());
                    if (!event.data().equals("[DONE]")) {
                        sink.chunk(JSON.createObjectNode().put("data", event.data().toUpperCase()));
                    }
                }

                @Override
                public void onEnd(StreamSink sink) {
                    sink.chunk(JSON.createObjectNode().put("seen", String.join(",", seen)));
                }

                @Override
                public Usage usage() {
                    return Usage.of(3, seen.size());
                }
            };
        }

        @Override
        public UpstreamError translateError(int status, String contentType, byte[] body) {
            return UpstreamError.builder(status == 401 ? 502 : status, "upstream_error", "[echo " + status + "]")
                    .refreshAndRetry(status == 401).retryable(true).build();
        }
    }

    @Test
    void aJsonAnswerGoesThroughTranslateResponse() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/echo", Reply.json("{\"text\":\"hi\"}"));
            AdapterDriver.Answer a = new AdapterDriver(new EchoAdapter()).relay(
                    TestRequest.chat("{\"model\":\"m\",\"messages\":[]}"),
                    TestChannel.builder().baseUrl(up.baseUrl()).key("k1").build());
            assertTrue(a.ok());
            OpenAiAssertions.assertChatCompletion(a.body());
            assertEquals("hi", a.body().at("/choices/0/message/content").asText());
            assertEquals("k1", up.lastRequest().header("X-Key"));
            assertEquals(Usage.of(1, 1), a.usage());
        }
    }

    @Test
    void aStreamFeedsEveryEventToTheTranslatorDoneIncludedThenOnEnd() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/echo", Reply.sse("a", "b", "[DONE]"));
            AdapterDriver.Answer a = new AdapterDriver(new EchoAdapter()).relay(
                    TestRequest.chat("{\"model\":\"m\",\"stream\":true}"),
                    TestChannel.builder().baseUrl(up.baseUrl()).build());
            assertEquals(List.of("{\"data\":\"A\"}", "{\"data\":\"B\"}", "{\"seen\":\"a,b,[DONE]\"}"),
                    a.chunks().stream().map(JsonNode::toString).toList());
            assertEquals("text/event-stream", up.lastRequest().header("Accept"));
        }
    }

    @Test
    void aRefreshVerdictPreparesAndSendsOnceMore() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/echo", Reply.json(401, "{}"));
            EchoAdapter adapter = new EchoAdapter();
            AdapterDriver.Answer a = new AdapterDriver(adapter).relay(TestRequest.chat("{\"model\":\"m\"}"),
                    TestChannel.builder().baseUrl(up.baseUrl()).build());
            assertFalse(a.ok());
            assertEquals(2, a.sends());
            assertEquals(2, adapter.prepared.size());
            assertEquals(502, a.status());
            OpenAiAssertions.assertErrorObject(a.errorBody());
        }
    }

    @Test
    void sideCallsReachTheFakeUpstream() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/token", Reply.json("{\"t\":\"abc\"}"));
            JdkUpstreamClient client = new JdkUpstreamClient();
            var r = client.send(dev.switchboard.api.provider.SideCall.get(up.baseUrl() + "/token").build())
                    .toCompletableFuture().get();
            assertEquals(200, r.status());
            assertEquals("{\"t\":\"abc\"}", r.text());
            assertEquals(1, client.sent());
        }
    }

    /** An OpenAI-compatible upstream: pass-through calls only. */
    static final class PassThroughAdapter implements ProviderAdapter {
        @Override
        public ChannelType channelType() {
            return ChannelType.builder("compat").defaultBaseUrl("http://127.0.0.1:9").build();
        }

        @Override
        public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
            return CompletableFuture.completedFuture(UpstreamCall.passThrough(channel.baseUrl() + "/chat/completions")
                    .header("Authorization", "Bearer " + channel.key()).stream(request.stream()).build());
        }

        @Override
        public UpstreamError translateError(int status, String contentType, byte[] body) {
            return UpstreamError.builder(502, "upstream_error", "[compat " + status + "]").retryable(true).build();
        }
    }

    @Test
    void aPassThroughStreamSendsTheMappedModelAsksForUsageAndStopsAtDone() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}";
            up.on("/chat/completions", Reply.sse(chunk, "[DONE]", chunk));
            AdapterDriver.Answer a = new AdapterDriver(new PassThroughAdapter()).relay(
                    TestRequest.chat("{\"model\":\"m\",\"stream\":true,\"extra\":1}").withUpstreamModel("up"),
                    TestChannel.builder().baseUrl(up.baseUrl()).key("k").build());
            assertEquals(1, a.chunks().size(), "nothing after [DONE]");
            OpenAiAssertions.assertChatChunks(a.chunks());
            JsonNode sent = up.lastRequest().json();
            assertEquals("up", sent.path("model").asText());
            assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
            assertEquals(1, sent.path("extra").asInt(), "unknown fields go through");
            assertEquals("Bearer k", up.lastRequest().header("Authorization"));
        }
    }
}
