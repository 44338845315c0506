package dev.switchboard.dist.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A SiliconFlow upstream on loopback, speaking its wire formats as {@code providers.md} section 4 gives them:
 * cumulative {@code usage} in every stream chunk (whether or not {@code stream_options} asked for it),
 * {@code reasoning_content} beside {@code content} in deltas (one of them null), rerank answers with
 * {@code meta.tokens} (or top-level {@code tokens}), {@code images[].url}, string balances in {@code /user/info},
 * and its non-OpenAI error bodies ({@code {code, message, data}}, a bare JSON string).
 *
 * <p>Behaviour is chosen the way the real service chooses it: by the key ({@link #GOOD_KEY} works, {@link
 * #BROKE_KEY} has no balance, others are rejected) and by the model (see the {@code MODEL_*} constants).
 * Every request is recorded for the tests to inspect.
 */
final class FakeSiliconFlow implements AutoCloseable {

    static final String GOOD_KEY = "sk-fake-siliconflow-good-0123456789";
    /** HTTP 402 with code 30001. */
    static final String BROKE_KEY = "sk-fake-siliconflow-broke-0123456789";
    /** HTTP 403 with code 30001, as older answers had it. */
    static final String BROKE_OLD_KEY = "sk-fake-siliconflow-broke-old-0123456789";
    /** HTTP 401 with an OpenAI-shaped {@code {error:{...}}} body. */
    static final String REVOKED_KEY = "sk-fake-siliconflow-revoked-0123456789";

    static final String CHAT = "deepseek-ai/DeepSeek-V3";
    static final String REASONING = "deepseek-ai/DeepSeek-R1";
    static final String EMBEDDING = "BAAI/bge-m3";
    static final String EMBEDDING_8B = "Qwen/Qwen3-Embedding-8B";
    /** Answers with {@code meta.tokens}, results best first. */
    static final String RERANK = "BAAI/bge-reranker-v2-m3";
    /** Answers with top-level {@code tokens} and results in document order (the "unsure" form). */
    static final String RERANK_TOP_LEVEL_TOKENS = "netease-youdao/bce-reranker-base_v1";
    static final String IMAGE = "black-forest-labs/FLUX.1-schnell";
    static final String SPEECH = "FunAudioLLM/CosyVoice2-0.5B";
    static final String TRANSCRIPTION = "FunAudioLLM/SenseVoiceSmall";
    /** HTTP 400 {@code {code:20012}}. */
    static final String MODEL_MISSING = "fake/model-does-not-exist";
    /** HTTP 403 {@code {code:30003}}. */
    static final String MODEL_DISABLED = "fake/model-disabled";
    /** HTTP 503 {@code {code:50603, "System is really busy"}}. */
    static final String MODEL_BUSY = "fake/model-busy";
    /** HTTP 429 {@code {code:50603}}. */
    static final String MODEL_RATE_LIMITED = "fake/model-rate-limited";

    static final int PROMPT_TOKENS = 19;
    static final List<String> ANSWER = List.of("Hello", " from", " Silicon", "Flow");
    static final List<String> THOUGHTS = List.of("The user", " says hi.", " Greet back.");

    private static final Set<String> MODELS = Set.of(CHAT, REASONING, EMBEDDING, EMBEDDING_8B, RERANK,
            RERANK_TOP_LEVEL_TOKENS, IMAGE, SPEECH, TRANSCRIPTION, "Qwen/Qwen3-8B", "Pro/deepseek-ai/DeepSeek-R1");

    /** One request as the fake received it. */
    record Received(String method, String path, Map<String, String> headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private FakeSiliconFlow(HttpServer server) {
        this.server = server;
    }

    static FakeSiliconFlow start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeSiliconFlow fake = new FakeSiliconFlow(s);
        s.setExecutor(fake.threads);
        s.createContext("/v1/", fake::handle);
        s.start();
        return fake;
    }

    /** @return the base a channel is given, e.g. {@code http://127.0.0.1:41234/v1} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return every request so far */
    List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * @param path e.g. {@code /v1/chat/completions}
     * @return the last request to it
     */
    Received last(String path) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (received.get(i).path().equals(path)) {
                return received.get(i);
            }
        }
        throw new AssertionError("no request to " + path + " among " + received.stream().map(Received::path).toList());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = ex.getRequestURI().getPath();
            Received r = new Received(ex.getRequestMethod(), path, headers, body);
            received.add(r);

            String key = headers.getOrDefault("authorization", "").replaceFirst("^Bearer ", "");
            switch (key) {
                case GOOD_KEY -> { }
                case BROKE_KEY -> {
                    json(ex, 402, "{\"code\":30001,\"message\":\"Sorry, your account balance is insufficient\","
                            + "\"data\":null}");
                    return;
                }
                case BROKE_OLD_KEY -> {
                    json(ex, 403, "{\"code\":30001,\"message\":\"Sorry, your account balance is insufficient\","
                            + "\"data\":null}");
                    return;
                }
                case REVOKED_KEY -> {
                    json(ex, 401, "{\"error\":{\"message\":\"Invalid token\",\"type\":\"invalid_request_error\","
                            + "\"param\":null,\"code\":\"invalid_api_key\"}}");
                    return;
                }
                default -> {
                    json(ex, 401, "\"Api key is invalid\"");
                    return;
                }
            }
            switch (ex.getRequestMethod() + " " + path) {
                case "GET /v1/user/info" -> json(ex, 200, "{\"code\":20000,\"message\":\"OK\",\"status\":true,"
                        + "\"data\":{\"id\":\"userid\",\"name\":\"fake\",\"image\":\"\",\"email\":\"\","
                        + "\"isAdmin\":false,\"balance\":\"2.50\",\"status\":\"normal\",\"introduction\":\"\","
                        + "\"role\":\"\",\"chargeBalance\":\"10.00\",\"totalBalance\":\"12.50\"}}");
                case "GET /v1/models" -> models(ex);
                case "POST /v1/audio/transcriptions" -> transcription(ex, r);
                case "POST /v1/chat/completions", "POST /v1/embeddings", "POST /v1/rerank",
                        "POST /v1/images/generations", "POST /v1/audio/speech" -> jsonCall(ex, path, r.json());
                default -> json(ex, 404, "{\"code\":20001,\"message\":\"Not Found\",\"data\":null}");
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void jsonCall(HttpExchange ex, String path, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        switch (model) {
            case MODEL_MISSING -> json(ex, 400, "{\"code\":20012,\"message\":\"Model does not exist. Please check it "
                    + "carefully.\",\"data\":null}");
            case MODEL_DISABLED -> json(ex, 403, "{\"code\":30003,\"message\":\"Model disabled.\",\"data\":null}");
            case MODEL_BUSY -> json(ex, 503, "{\"code\":50603,\"message\":\"System is really busy, please try "
                    + "again later\",\"data\":null}");
            case MODEL_RATE_LIMITED -> json(ex, 429, "{\"code\":50603,\"message\":\"Request was rejected due to rate "
                    + "limiting. Details: RPM limit reached.\",\"data\":null}");
            default -> {
                if (!MODELS.contains(model)) {
                    json(ex, 400, "{\"code\":20012,\"message\":\"Model does not exist. Please check it carefully.\","
                            + "\"data\":null}");
                    return;
                }
                switch (path) {
                    case "/v1/chat/completions" -> chat(ex, body);
                    case "/v1/embeddings" -> embeddings(ex, body);
                    case "/v1/rerank" -> rerank(ex, body);
                    case "/v1/images/generations" -> images(ex, body);
                    default -> speech(ex, body);
                }
            }
        }
    }

    // --- chat ---------------------------------------------------------------------------------------------

    private void chat(HttpExchange ex, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        boolean reasoning = model.contains("R1");
        List<String[]> pieces = new ArrayList<>();
        if (reasoning) {
            THOUGHTS.forEach(t -> pieces.add(new String[] {"reasoning", t}));
        }
        ANSWER.forEach(t -> pieces.add(new String[] {"content", t}));
        String id = "0196" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode out = JSON.createObjectNode();
            out.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant").put("content", String.join("", ANSWER));
            if (reasoning) {
                message.put("reasoning_content", String.join("", THOUGHTS));
            }
            choice.put("finish_reason", "stop");
            out.set("usage", usage(pieces.size(), reasoning ? THOUGHTS.size() : 0));
            out.put("system_fingerprint", "");
            json(ex, 200, out.toString());
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        event(out, chunk(id, created, model, "", null, true, null, usage(0, 0)));
        int reasoned = 0;
        for (int i = 0; i < pieces.size(); i++) {
            String[] p = pieces.get(i);
            boolean thought = p[0].equals("reasoning");
            reasoned += thought ? 1 : 0;
            event(out, chunk(id, created, model, thought ? null : p[1], thought ? p[1] : null, false, null,
                    usage(i + 1, reasoned)));
        }
        event(out, chunk(id, created, model, "", null, false, "stop", usage(pieces.size(), reasoned)));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode chunk(String id, long created, String model, String content, String reasoning,
            boolean first, String finish, ObjectNode usage) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        delta.put("content", content);
        delta.put("reasoning_content", reasoning);
        if (first) {
            delta.put("role", "assistant");
        }
        choice.put("finish_reason", finish);
        c.put("system_fingerprint", "");
        c.set("usage", usage);
        return c;
    }

    /** Cumulative usage after {@code completion} tokens, as every SiliconFlow chunk carries it. */
    static ObjectNode usage(int completion, int reasoning) {
        ObjectNode u = JSON.createObjectNode();
        u.put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", completion)
                .put("total_tokens", PROMPT_TOKENS + completion);
        if (reasoning > 0) {
            u.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
        }
        return u;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // --- embeddings, rerank, images, speech, transcription -------------------------------------------------

    /** The vector of input {@code i}: deterministic, so tests can check it. */
    static float[] vector(int i, int dimensions) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (i + 1) * 0.125f - d * 0.0625f;
        }
        return v;
    }

    private void embeddings(HttpExchange ex, JsonNode body) throws IOException {
        JsonNode input = body.path("input");
        int n = input.isArray() ? input.size() : 1;
        int dimensions = body.path("dimensions").asInt(8);
        boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
        ObjectNode out = JSON.createObjectNode();
        out.put("model", body.path("model").asText());
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            float[] v = vector(i, dimensions);
            if (base64) {
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) {
                    a.add(f);
                }
            }
            e.put("index", i);
        }
        out.put("object", "list");
        out.putObject("usage").put("prompt_tokens", 3 * n).put("completion_tokens", 0).put("total_tokens", 3 * n);
        json(ex, 200, out.toString());
    }

    /** A relevance score from shared words: the same for the same query and document. */
    static double score(String query, String document) {
        List<String> q = Arrays.asList(query.toLowerCase(Locale.ROOT).split("\\W+"));
        String[] words = document.toLowerCase(Locale.ROOT).split("\\W+");
        long shared = Arrays.stream(words).filter(q::contains).count();
        return Math.round((0.001 + 0.9 * shared / Math.max(1, words.length)) * 10000) / 10000.0;
    }

    private void rerank(HttpExchange ex, JsonNode body) throws IOException {
        String query = body.path("query").asText();
        List<String> docs = new ArrayList<>();
        body.path("documents").forEach(d -> docs.add(d.asText()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            order.add(i);
        }
        boolean topLevelTokens = RERANK_TOP_LEVEL_TOKENS.equals(body.path("model").asText());
        if (!topLevelTokens) {
            order.sort((a, b) -> Double.compare(score(query, docs.get(b)), score(query, docs.get(a))));
        }
        int topN = body.path("top_n").asInt(docs.size());
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "0196rerank" + Long.toHexString(System.nanoTime()));
        ArrayNode results = out.putArray("results");
        for (int i : order.subList(0, Math.min(topN, order.size()))) {
            ObjectNode r = results.addObject();
            if (body.path("return_documents").asBoolean(false)) {
                r.putObject("document").put("text", docs.get(i));
            }
            r.put("index", i);
            r.put("relevance_score", score(query, docs.get(i)));
        }
        int input = query.split("\\s+").length + docs.stream().mapToInt(d -> d.split("\\s+").length).sum();
        ObjectNode tokens = topLevelTokens ? out.putObject("tokens")
                : out.putObject("meta").putObject("tokens");
        tokens.put("input_tokens", input).put("output_tokens", 0);
        json(ex, 200, out.toString());
    }

    private void images(HttpExchange ex, JsonNode body) throws IOException {
        // Strict on purpose: the real service ignores OpenAI's names, so an untranslated request would quietly
        // get one image of the default size; here it fails loudly.
        if (body.has("n") || body.has("size")) {
            json(ex, 400, "{\"code\":20015,\"message\":\"Unknown parameters: n, size\",\"data\":null}");
            return;
        }
        int count = body.path("batch_size").asInt(1);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode images = out.putArray("images");
        for (int i = 0; i < count; i++) {
            images.addObject().put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/files/"
                    + body.path("image_size").asText("1024x1024") + "-" + i + ".png");
        }
        out.putObject("timings").put("inference", 0.41);
        out.put("seed", body.path("seed").asLong(123456789));
        json(ex, 200, out.toString());
    }

    /** The audio the fake speaks: recognisable bytes, larger than one network buffer. */
    static byte[] audio(String input) {
        byte[] text = input.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[48 * 1024 + text.length];
        out[0] = 'I';
        out[1] = 'D';
        out[2] = '3';
        for (int i = 3; i < out.length - text.length; i++) {
            out[i] = (byte) (i * 31);
        }
        System.arraycopy(text, 0, out, out.length - text.length, text.length);
        return out;
    }

    private void speech(HttpExchange ex, JsonNode body) throws IOException {
        byte[] bytes = audio(body.path("input").asText());
        String format = body.path("response_format").asText("mp3");
        ex.getResponseHeaders().set("Content-Type", format.equals("wav") ? "audio/wav" : "audio/mpeg");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private void transcription(HttpExchange ex, Received r) throws IOException {
        String type = r.headers().getOrDefault("content-type", "");
        int at = type.indexOf("boundary=");
        if (!type.startsWith("multipart/form-data") || at < 0) {
            json(ex, 400, "{\"code\":20015,\"message\":\"file is required\",\"data\":null}");
            return;
        }
        String boundary = type.substring(at + "boundary=".length()).replace("\"", "").split(";")[0].strip();
        Map<String, byte[]> parts = Multipart.parse(r.body(), boundary);
        byte[] file = parts.get("file");
        String model = parts.containsKey("model") ? new String(parts.get("model"), StandardCharsets.UTF_8) : "";
        if (file == null) {
            json(ex, 400, "{\"code\":20015,\"message\":\"file is required\",\"data\":null}");
            return;
        }
        if (!MODELS.contains(model)) {
            json(ex, 400, "{\"code\":20012,\"message\":\"Model does not exist. Please check it carefully.\","
                    + "\"data\":null}");
            return;
        }
        json(ex, 200, "{\"text\":\"heard " + file.length + " bytes with " + model + "\"}");
    }

    private void models(HttpExchange ex) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        MODELS.stream().sorted((a, b) -> b.compareTo(a)).forEach(m -> data.addObject().put("id", m)
                .put("object", "model").put("created", 0).put("owned_by", ""));
        json(ex, 200, out.toString());
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
