package dev.switchboard.dist.relay;

import static dev.switchboard.dist.relay.RelayGateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.dist.relay.FakeUpstream.Received;
import dev.switchboard.dist.relay.FakeUpstream.Reply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK pointed at the gateway (base URL {@code http://127.0.0.1:PORT/v1}, API key = a
 * relay token), as an application would use it: chat, streamed chat, embeddings (the SDK asks for base64), the
 * model list, and errors raised as the SDK's own exceptions with the gateway's message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkIT {

    private static final String CHAT_MODEL = "gpt-sdk-e2e";
    private static final String CHAT_UPSTREAM = "gpt-4o-mini-2024-07-18";
    private static final String EMBED = "text-embedding-sdk-e2e";
    private static final String SLASHED = "deepseek-ai/DeepSeek-R1";
    private static final float[] VECTOR = {0.25f, -1.5f, 0.0009765625f, 2.0f};

    @TempDir
    static Path tmp;

    static FakeUpstream fake;
    static RelayGateway gw;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        fake = FakeUpstream.start();
        gw = RelayGateway.start(tmp, Map.of());
        gw.channel(obj("name", "fake openai", "type", "openai", "base_url", fake.baseUrl(),
                "models", List.of(CHAT_MODEL, EMBED, SLASHED), "model_mapping", Map.of(CHAT_MODEL, CHAT_UPSTREAM)));
        RelayGateway.Token token = gw.token(obj("name", "sdk e2e"));
        client = OpenAIOkHttpClient.builder().baseUrl(gw.v1()).apiKey(token.key()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        RelayGateway.finish(gw, fake);
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
    }

    @Test
    void chatCompletion() {
        fake.on("/v1/chat/completions", Reply.json(Shapes.completion(CHAT_UPSTREAM, "Hello from the fake", 12, 4)));
        ChatCompletion c = client.chat().completions().create(chat(CHAT_MODEL).build());
        gw.record(c.toString());
        assertEquals("Hello from the fake", c.choices().get(0).message().content().orElseThrow());
        CompletionUsage u = c.usage().orElseThrow();
        assertEquals(12, u.promptTokens());
        assertEquals(4, u.completionTokens());
        Received up = fake.only();
        assertEquals(CHAT_UPSTREAM, up.json().path("model").asText(), "mapped for the upstream: " + up.text());
        assertEquals("Bearer " + RelayGateway.VENDOR_KEY, up.header("Authorization"));
    }

    /** Like OpenAI: a usage chunk only when asked; the gateway always asks. */
    private static Reply stream(Received r) {
        boolean usage = r.json().path("stream_options").path("include_usage").asBoolean(false);
        Reply s = Reply.sse()
                .event(Shapes.chunk(CHAT_UPSTREAM, "{\"role\":\"assistant\",\"content\":\"\"}", null, usage))
                .pause(100)
                .event(Shapes.chunk(CHAT_UPSTREAM, "{\"content\":\"Hel\"}", null, usage))
                .event(Shapes.chunk(CHAT_UPSTREAM, "{\"content\":\"lo, \"}", null, usage))
                .event(Shapes.chunk(CHAT_UPSTREAM, "{\"content\":\"SDK\"}", null, usage))
                .event(Shapes.chunk(CHAT_UPSTREAM, "{}", "stop", usage));
        if (usage) {
            s.event("{\"id\":\"chatcmpl-e2e-stream\",\"object\":\"chat.completion.chunk\",\"created\":1700000200,"
                    + "\"model\":\"" + CHAT_UPSTREAM + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                    + "\"completion_tokens\":3,\"total_tokens\":12}}");
        }
        return s.done();
    }

    @Test
    void streamedChatCollectsTheDeltas() {
        fake.on("/v1/chat/completions", OpenAiSdkIT::stream);
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                chat(CHAT_MODEL).build())) {
            s.stream().forEach(ch -> {
                chunks.add(ch);
                ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        gw.record(chunks.toString());
        assertEquals("Hello, SDK", text.toString());
        assertTrue(chunks.stream().noneMatch(ch -> ch.usage().isPresent()), "no usage unless asked: " + chunks);
        assertTrue(fake.only().json().path("stream_options").path("include_usage").asBoolean(),
                "the gateway asked the upstream for usage");
    }

    @Test
    void streamedChatWithUsage() {
        fake.on("/v1/chat/completions", OpenAiSdkIT::stream);
        List<CompletionUsage> usage = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat(CHAT_MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(ch -> {
                ch.usage().ifPresent(usage::add);
                ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        gw.record(usage.toString());
        assertEquals("Hello, SDK", text.toString());
        assertEquals(1, usage.size(), "one usage chunk: " + usage);
        assertEquals(9, usage.get(0).promptTokens());
        assertEquals(3, usage.get(0).completionTokens());
    }

    @Test
    void embeddingsInTheSdksDefaultBase64Decode() {
        fake.on("/v1/embeddings", r -> {
            JsonNode req = r.json();
            ObjectNode root = RelayGateway.JSON.createObjectNode().put("object", "list");
            ObjectNode e = root.putArray("data").addObject().put("object", "embedding").put("index", 0);
            if ("base64".equals(req.path("encoding_format").asText("float"))) {
                ByteBuffer b = ByteBuffer.allocate(VECTOR.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : VECTOR) {
                    b.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                for (float f : VECTOR) {
                    e.withArray("embedding").add(f);
                }
            }
            root.put("model", "text-embedding-3-small");
            root.putObject("usage").put("prompt_tokens", 2).put("total_tokens", 2);
            return Reply.json(root.toString());
        });
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model(EMBED)
                .input("hello there").build());
        gw.record(r.toString());
        assertEquals("base64", fake.only().json().path("encoding_format").asText(),
                "the SDK asks for base64 when the caller sets no format: " + fake.only().text());
        List<Float> floats = r.data().get(0).embedding();
        assertEquals(VECTOR.length, floats.size(), floats.toString());
        for (int i = 0; i < VECTOR.length; i++) {
            assertEquals(VECTOR[i], floats.get(i), 0.0f, "float " + i + " decodes: " + floats);
        }
        assertEquals(2, r.usage().promptTokens());
    }

    @Test
    void unknownModelRaisesNotFoundWithTheGatewaysMessage() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> client.chat().completions().create(chat("gpt-nobody-has").build()));
        gw.record(String.valueOf(e.getMessage()) + e.body());
        assertEquals(404, e.statusCode());
        assertTrue(String.valueOf(e.getMessage()).contains("no available channel for model gpt-nobody-has"),
                "the gateway's message: " + e.getMessage());
        assertEquals("model_not_found", e.code().orElse(null));
        assertEquals("invalid_request_error", e.type().orElse(null));
        assertTrue(fake.requests().isEmpty());
    }

    @Test
    void upstreamCallerErrorRaisesBadRequestWithTheVendorCode() {
        fake.on("/v1/chat/completions", Reply.error(400, "invalid_request_error", "context_length_exceeded",
                "messages", "This model's maximum context length is 128000 tokens."));
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(chat(CHAT_MODEL).build()));
        gw.record(String.valueOf(e.getMessage()) + e.body());
        assertEquals("context_length_exceeded", e.code().orElse(null));
        assertEquals("messages", e.param().orElse(null));
        assertTrue(String.valueOf(e.getMessage()).contains("maximum context length"), e.getMessage());
    }

    @Test
    void modelListAndAModelWhoseIdHasASlash() {
        List<String> ids = new ArrayList<>();
        client.models().list().autoPager().forEach(m -> ids.add(m.id()));
        gw.record(ids.toString());
        assertTrue(ids.containsAll(List.of(CHAT_MODEL, EMBED, SLASHED)), ids.toString());
        Model m = client.models().retrieve(SLASHED);
        gw.record(m.toString());
        assertEquals(SLASHED, m.id());
    }
}
