package com.example.switchboard.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.testkit.AdapterDriver;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.JdkUpstreamClient;
import dev.switchboard.testkit.OpenAiAssertions;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import dev.switchboard.testkit.TestChannel;
import dev.switchboard.testkit.TestRequest;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter against a fake Acme, driven as the gateway core drives it. */
class AcmeAdapterTest {

    private static final String CHAT = "{\"model\":\"big\",\"max_tokens\":50,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final String STREAM = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");

    private FakeUpstream acme;
    private TestChannel channel;
    private final AcmeAdapter adapter = new AcmeAdapter();
    private final AdapterDriver driver = new AdapterDriver(adapter);

    @BeforeEach
    void start() throws Exception {
        acme = FakeUpstream.start();
        channel = TestChannel.builder().baseUrl(acme.baseUrl() + "/v1").key("acme-secret")
                .config("{\"region\":\"eu\"}").build();
    }

    @AfterEach
    void stop() {
        acme.close();
    }

    private TestRequest request(String json) {
        return TestRequest.chat(json).withUpstreamModel("acme-large").withChannel(channel);
    }

    @Test
    void aChatIsTranslatedBothWays() throws Exception {
        acme.on("/v1/chat", Reply.json("{\"id\":\"a1\",\"created\":1700000000,\"reply\":{\"text\":\"Hi there\"},"
                + "\"stop\":\"end\",\"tokens\":{\"in\":5,\"out\":2}}"));

        AdapterDriver.Answer a = driver.relay(request(CHAT), channel);

        RecordedRequest sent = acme.lastRequest();
        assertEquals("acme-secret", sent.header("X-Acme-Key"));
        assertEquals("eu", sent.header("X-Acme-Region"));
        assertEquals("acme-large", sent.json().path("model").asText());
        assertEquals(50, sent.json().path("max_output").asInt());
        assertFalse(sent.json().has("max_tokens"));

        assertTrue(a.ok());
        OpenAiAssertions.assertChatCompletion(a.body());
        assertEquals("Hi there", a.body().at("/choices/0/message/content").asText());
        assertEquals("stop", a.body().at("/choices/0/finish_reason").asText());
        assertEquals("big", a.body().path("model").asText(), "the client sees the model it asked for");
        assertEquals(Usage.of(5, 2), a.usage());
    }

    @Test
    void aStreamBecomesChunksAndEndsAtAcmesStopEvent() throws Exception {
        acme.on("/v1/chat", Reply.sse().data("{\"delta\":\"Hel\"}").pause(Duration.ofMillis(100))
                .data("{\"delta\":\"lo\"}").data("{\"stop\":\"length\",\"tokens\":{\"in\":5,\"out\":2}}")
                .data("{\"delta\":\"ignored: after the end\"}").build());

        AdapterDriver.Answer a = driver.relay(request(STREAM), channel);

        assertTrue(a.ok());
        assertEquals("text/event-stream", acme.lastRequest().header("Accept"));
        assertTrue(acme.lastRequest().json().path("stream").asBoolean());
        OpenAiAssertions.assertChatChunks(a.chunks());
        assertEquals("Hello", OpenAiAssertions.content(a.chunks()));
        assertEquals("assistant", a.chunks().get(0).at("/choices/0/delta/role").asText());
        assertEquals("length", a.chunks().get(a.chunks().size() - 1).at("/choices/0/finish_reason").asText());
        assertEquals(Usage.of(5, 2), a.usage());
    }

    @Test
    void aRefusedKeyDisablesTheChannel() throws Exception {
        acme.on("/v1/chat", Reply.json(401, "{\"err_code\":1001,\"err_msg\":\"invalid key\"}"));

        AdapterDriver.Answer a = driver.relay(request(CHAT), channel);

        assertEquals(502, a.status());
        assertTrue(a.error().disableChannel());
        assertTrue(a.error().retryable());
        assertEquals("1001", a.error().vendorCode());
        assertEquals("[acme 1001] invalid key", a.error().message());
        OpenAiAssertions.assertErrorObject(a.errorBody());
    }

    @Test
    void anErrorWithStatus200IsStillAnError() throws Exception {
        acme.on("/v1/chat", Reply.json("{\"err_code\":2002,\"err_msg\":\"too many tokens\"}"));

        AdapterDriver.Answer a = driver.relay(request(CHAT), channel);

        assertEquals(400, a.status());
        assertEquals("context_length_exceeded", a.error().code());
        assertFalse(a.error().retryable(), "the caller's mistake is not retried on another channel");
        assertFalse(a.error().disableChannel());
    }

    @Test
    void aRateLimitTriesAnotherChannel() throws Exception {
        acme.on("/v1/chat", Reply.json(429, "{\"err_code\":3001,\"err_msg\":\"slow down\"}"));

        AdapterDriver.Answer a = driver.relay(request(CHAT), channel);

        assertEquals(429, a.status());
        assertEquals("rate_limit_exceeded", a.error().type());
        assertTrue(a.error().retryable());
        assertFalse(a.error().disableChannel());
    }

    @Test
    void aProxyPageIsAnUpstreamErrorNamingItsFirstLine() throws Exception {
        acme.on("/v1/chat", Reply.error(503, "text/html", "Service Unavailable\n<html>...</html>"));

        AdapterDriver.Answer a = driver.relay(request(CHAT), channel);

        assertEquals(502, a.status());
        assertEquals("[acme] Service Unavailable", a.error().message());
        assertTrue(a.error().retryable());
        assertNull(a.error().vendorCode());
    }

    @Test
    void anErrorInsideTheStreamEndsItAfterTheChunksSent() throws Exception {
        acme.on("/v1/chat", Reply.sse("{\"delta\":\"Hel\"}", "{\"err_code\":5000,\"err_msg\":\"engine crashed\"}"));

        AdapterDriver.Answer a = driver.relay(request(STREAM), channel);

        assertEquals(1, a.chunks().size());
        assertEquals("[acme 5000] engine crashed", a.error().message());
        assertEquals(200, a.status(), "the client already has its 200 and gets an error event");
    }

    @Test
    void theBalanceIsASideCall() throws Exception {
        acme.on("/v1/account", Reply.json("{\"credit\":\"12.50\",\"currency\":\"EUR\"}"));
        JdkUpstreamClient client = new JdkUpstreamClient();

        Balance b = adapter.balance(channel, client).toCompletableFuture().get();

        assertEquals(new BigDecimal("12.50"), b.amount());
        assertEquals("EUR", b.currency());
        assertEquals(1, client.sent());
        assertEquals("acme-secret", acme.lastRequest().header("X-Acme-Key"));
    }

    @Test
    void theChannelTypeIsWhatOperatorsSee() {
        assertEquals("acme", adapter.channelType().id());
        assertTrue(adapter.channelType().defaultBaseUrl().startsWith("https://"));
        assertEquals("us", adapter.channelType().configFields().get(0).defaultValue());
    }
}
