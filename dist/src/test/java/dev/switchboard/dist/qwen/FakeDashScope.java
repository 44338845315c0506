package dev.switchboard.dist.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Alibaba DashScope on loopback speaking both protocols as {@code providers.md} section 3 gives them:
 * native ({@code /api/v1/services/...}: {@code {code, message, request_id}} errors with a real status, streams with
 * {@code id:}/{@code event:} lines, the {@code :HTTP_STATUS/200} comment, {@code data:} without a space, the string
 * {@code "null"} as finish reason until the end, cumulative usage in every event, no {@code [DONE]}, in-band
 * {@code event:error}) and compatible mode ({@code /compatible-mode/v1/...}: OpenAI shapes, {@code [DONE]},
 * {@code include_usage} honoured, {@code {"error":{...},"request_id"}} errors).
 *
 * <p>What it answers is chosen by the upstream model name:
 * <ul>
 * <li>{@code fail-<Code>}: that DashScope error with the status of the spec's table (both modes);</li>
 * <li>{@code inband-late} / {@code inband-early}: a native stream that reports an error after some content / as its
 * first event, on HTTP 200;</li>
 * <li>{@code old-text}: the older {@code output.text} answer form;</li>
 * <li>{@code qwq-*}: refuses a call without {@code stream}, as DashScope does; {@code qwen3-*}: refuses a
 * non-streamed call unless {@code enable_thinking} is false;</li>
 * <li>otherwise a normal answer; with {@code tools} in the request a tool call, streamed in many pieces.</li>
 * </ul>
 * The key {@code sk-qwen-revoked} is refused with {@code InvalidApiKey}. Every request is recorded.
 */
final class FakeDashScope implements AutoCloseable {

    static final String GOOD_KEY = "sk-qwen-good-0123456789";
    static final String REVOKED_KEY = "sk-qwen-revoked-0123456789";

    static final String TEXT = "Hello from DashScope";
    static final String[] TEXT_PIECES = {"Hello", " from", " Dash", "Scope"};
    static final int PROMPT_TOKENS = 17;
    static final String TOOL_ARGUMENTS = "{\"location\": \"Hangzhou\", \"unit\": \"celsius\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake saw it. */
    record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestIds = new AtomicInteger();

    FakeDashScope() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return e.g. {@code http://127.0.0.1:41234}, what a channel's base_url names */
    String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return every request so far */
    List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * @param model an upstream model name
     * @return the last request that asked for it
     */
    Received lastFor(String model) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (model.equals(received.get(i).body().path("model").asText())) {
                return received.get(i);
            }
        }
        throw new AssertionError("the fake DashScope saw no request for " + model + ": " + received);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] in = x.getRequestBody().readAllBytes();
            JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
            String path = x.getRequestURI().getPath();
            received.add(new Received(x.getRequestMethod(), path, Map.copyOf(x.getRequestHeaders()), body));
            boolean compatible = path.startsWith("/compatible-mode/v1/");
            String rid = "fake-" + requestIds.incrementAndGet();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String model = body.path("model").asText();
            if (!("Bearer " + GOOD_KEY).equals(auth)) {
                error(x, compatible, rid, "InvalidApiKey", "Invalid API-key provided.");
                return;
            }
            if (model.startsWith("fail-")) {
                String code = model.substring("fail-".length());
                error(x, compatible, rid, code, "fake DashScope says " + code);
                return;
            }
            switch (path) {
                case "/compatible-mode/v1/chat/completions" -> compatibleChat(x, body, rid);
                case "/compatible-mode/v1/embeddings" -> compatibleEmbeddings(x, body, rid);
                case "/compatible-mode/v1/models" -> json(x, 200, JSON.readTree(
                        "{\"object\":\"list\",\"data\":[{\"id\":\"qwen-plus\",\"object\":\"model\"},"
                                + "{\"id\":\"qwq-plus\",\"object\":\"model\"}]}"));
                case "/api/v1/services/aigc/text-generation/generation" -> nativeChat(x, body, rid);
                case "/api/v1/services/embeddings/text-embedding/text-embedding" -> nativeEmbeddings(x, body, rid);
                case "/api/v1/services/rerank/text-rerank/text-rerank" -> nativeRerank(x, body, rid);
                default -> error(x, compatible, rid, "InvalidParameter", "url error, please check url: " + path);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    // --- compatible mode ---------------------------------------------------------------------------------------

    private void compatibleChat(HttpExchange x, JsonNode body, String rid) throws IOException {
        String model = body.path("model").asText();
        boolean stream = body.path("stream").asBoolean(false);
        if (model.startsWith("qwq") && !stream) {
            error(x, true, rid, "InvalidParameter", "This model only support stream mode, please enable the stream"
                    + " parameter to access the model.");
            return;
        }
        if (model.startsWith("qwen3") && !stream && body.path("enable_thinking").asBoolean(true)) {
            error(x, true, rid, "InvalidParameter", "parameter.enable_thinking must be set to false for"
                    + " non-streaming calls");
            return;
        }
        String id = "chatcmpl-" + rid;
        int completion = TEXT_PIECES.length;
        if (!stream) {
            ObjectNode out = JSON.createObjectNode();
            out.put("id", id).put("object", "chat.completion").put("created", 1_750_000_000L).put("model", model);
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", TEXT);
            choice.put("finish_reason", "stop");
            out.set("usage", openAiUsage(PROMPT_TOKENS, completion));
            json(x, 200, out);
            return;
        }
        OutputStream out = startSse(x);
        List<ObjectNode> chunks = new ArrayList<>();
        chunks.add(compatibleChunk(id, model, JSON.createObjectNode().put("role", "assistant").put("content", ""),
                null));
        if (model.startsWith("qwq")) {
            chunks.add(compatibleChunk(id, model, JSON.createObjectNode().put("reasoning_content", "Thinking."),
                    null));
        }
        for (String piece : TEXT_PIECES) {
            chunks.add(compatibleChunk(id, model, JSON.createObjectNode().put("content", piece), null));
        }
        chunks.add(compatibleChunk(id, model, JSON.createObjectNode(), "stop"));
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = JSON.createObjectNode();
            usage.put("id", id).put("object", "chat.completion.chunk").put("created", 1_750_000_000L)
                    .put("model", model);
            usage.putArray("choices");
            usage.set("usage", openAiUsage(PROMPT_TOKENS, completion));
            chunks.add(usage);
        }
        for (ObjectNode c : chunks) {
            send(out, "data: " + c + "\n\n");
        }
        send(out, "data: [DONE]\n\n");
    }

    private static ObjectNode compatibleChunk(String id, String model, ObjectNode delta, String finish) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id).put("object", "chat.completion.chunk").put("created", 1_750_000_000L).put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finish);
        return c;
    }

    private void compatibleEmbeddings(HttpExchange x, JsonNode body, String rid) throws IOException {
        // DashScope's compatible mode answers floats only, whatever encoding_format says.
        List<String> texts = texts(body.path("input"));
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < texts.size(); i++) {
            data.addObject().put("object", "embedding").put("index", i).set("embedding", vector(i));
        }
        out.put("model", body.path("model").asText());
        out.put("id", rid);
        int tokens = 3 * texts.size();
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        json(x, 200, out);
    }

    // --- native -------------------------------------------------------------------------------------------------

    private void nativeChat(HttpExchange x, JsonNode body, String rid) throws IOException {
        String model = body.path("model").asText();
        JsonNode parameters = body.path("parameters");
        if (!body.path("input").path("messages").isArray()
                || !"message".equals(parameters.path("result_format").asText()) && !model.equals("old-text")) {
            error(x, false, rid, "InvalidParameter", "input.messages and parameters.result_format=message expected");
            return;
        }
        boolean stream = "enable".equals(x.getRequestHeaders().getFirst("X-DashScope-SSE"));
        if (model.startsWith("qwq") && !stream) {
            error(x, false, rid, "InvalidParameter", "This model only support stream mode, please enable the stream"
                    + " parameter to access the model.");
            return;
        }
        boolean tools = body.path("parameters").path("tools").isArray();
        if (!stream) {
            ObjectNode out = JSON.createObjectNode();
            ObjectNode output = out.putObject("output");
            if (model.equals("old-text")) {
                output.put("text", TEXT).put("finish_reason", "stop");
            } else {
                ObjectNode choice = output.putArray("choices").addObject();
                ObjectNode message = choice.putObject("message").put("role", "assistant");
                if (tools) {
                    message.put("content", "");
                    ObjectNode call = message.putArray("tool_calls").addObject();
                    call.put("index", 0).put("id", "call_fake_1").put("type", "function");
                    call.putObject("function").put("name", "get_weather").put("arguments", TOOL_ARGUMENTS);
                    choice.put("finish_reason", "tool_calls");
                } else {
                    message.put("content", TEXT);
                    choice.put("finish_reason", "stop");
                }
            }
            out.set("usage", nativeUsage(PROMPT_TOKENS, TEXT_PIECES.length));
            out.put("request_id", rid);
            json(x, 200, out);
            return;
        }
        if (!parameters.path("incremental_output").asBoolean(false)) {
            error(x, false, rid, "InvalidParameter", "the fake only streams incrementally");
            return;
        }
        OutputStream out = startSse(x);
        int id = 0;
        if (model.equals("inband-early")) {
            sendNativeError(out, ++id, 429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again"
                    + " later.", rid);
            return;
        }
        if (tools) {
            String[] fragments = {"{\"loc", "ation\": \"", "Hangzhou", "\", \"unit\": ", "\"celsius\"}"};
            sendNativeEvent(out, ++id, toolEvent(rid, "call_fake_1", "get_weather", "", 1));
            for (int i = 0; i < fragments.length; i++) {
                sendNativeEvent(out, ++id, toolEvent(rid, "", null, fragments[i], 2 + i));
            }
            sendNativeEvent(out, ++id, textEvent(rid, "", "tool_calls", 2 + fragments.length));
            return;
        }
        for (int i = 0; i < TEXT_PIECES.length; i++) {
            boolean last = i == TEXT_PIECES.length - 1;
            if (model.equals("inband-late") && i == 2) {
                sendNativeError(out, ++id, 400, "DataInspectionFailed", "Output data may contain inappropriate"
                        + " content.", rid);
                return;
            }
            ObjectNode event = model.equals("old-text")
                    ? oldTextEvent(rid, TEXT_PIECES[i], last ? "stop" : "null", i + 1)
                    : textEvent(rid, TEXT_PIECES[i], last ? "stop" : "null", i + 1);
            sendNativeEvent(out, ++id, event);
        }
    }

    private static ObjectNode textEvent(String rid, String content, String finish, int outputTokens) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode choice = e.putObject("output").putArray("choices").addObject();
        choice.putObject("message").put("content", content).put("role", "assistant");
        choice.put("finish_reason", finish);
        e.set("usage", nativeUsage(PROMPT_TOKENS, outputTokens));
        e.put("request_id", rid);
        return e;
    }

    private static ObjectNode oldTextEvent(String rid, String text, String finish, int outputTokens) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("output").put("finish_reason", finish).put("text", text);
        e.set("usage", nativeUsage(PROMPT_TOKENS, outputTokens));
        e.put("request_id", rid);
        return e;
    }

    private static ObjectNode toolEvent(String rid, String id, String name, String args, int outputTokens) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode choice = e.putObject("output").putArray("choices").addObject();
        ObjectNode message = choice.putObject("message").put("content", "").put("role", "assistant");
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.put("index", 0).put("id", id).put("type", "function");
        ObjectNode fn = call.putObject("function");
        if (name != null) {
            fn.put("name", name);
        }
        fn.put("arguments", args);
        choice.put("finish_reason", "null");
        e.set("usage", nativeUsage(PROMPT_TOKENS, outputTokens));
        e.put("request_id", rid);
        return e;
    }

    private void nativeEmbeddings(HttpExchange x, JsonNode body, String rid) throws IOException {
        List<String> texts = texts(body.path("input").path("texts"));
        if (texts.isEmpty()) {
            error(x, false, rid, "InvalidParameter", "input.texts is required");
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode embeddings = out.putObject("output").putArray("embeddings");
        // Last first: the gateway must order by text_index.
        for (int i = texts.size() - 1; i >= 0; i--) {
            embeddings.addObject().put("text_index", i).set("embedding", vector(i));
        }
        out.putObject("usage").put("total_tokens", 3 * texts.size());
        out.put("request_id", rid);
        json(x, 200, out);
    }

    private void nativeRerank(HttpExchange x, JsonNode body, String rid) throws IOException {
        String query = body.path("input").path("query").asText();
        List<String> docs = texts(body.path("input").path("documents"));
        int topN = body.path("parameters").path("top_n").asInt(docs.size());
        boolean withDocuments = body.path("parameters").path("return_documents").asBoolean(false);
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            scored.add(new double[] {i, score(query, docs.get(i))});
        }
        scored.sort((a, b) -> Double.compare(b[1], a[1]));
        List<double[]> kept = new ArrayList<>(scored.subList(0, Math.min(topN, scored.size())));
        // Answer in document order, not best first: the gateway must sort.
        kept.sort((a, b) -> Double.compare(a[0], b[0]));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putObject("output").putArray("results");
        for (double[] s : kept) {
            ObjectNode r = results.addObject().put("index", (int) s[0]).put("relevance_score", s[1]);
            if (withDocuments) {
                r.putObject("document").put("text", docs.get((int) s[0]));
            }
        }
        out.putObject("usage").put("total_tokens", 5 * docs.size());
        out.put("request_id", rid);
        json(x, 200, out);
    }

    /** Shared words between query and document, a little noise-free relevance. */
    private static double score(String query, String doc) {
        List<String> q = List.of(query.toLowerCase(Locale.ROOT).split("\\W+"));
        long shared = List.of(doc.toLowerCase(Locale.ROOT).split("\\W+")).stream().filter(q::contains).count();
        return Math.round(1000.0 * shared / (shared + 1.0)) / 1000.0;
    }

    // --- wire helpers -------------------------------------------------------------------------------------------

    /** The spec's status for each DashScope code. */
    static int status(String code) {
        return switch (code) {
            case "InvalidApiKey" -> 401;
            case "AccessDenied", "AccessDenied.Unpurchased" -> 403;
            case "RequestTimeOut" -> 408;
            case "BadRequest.TooLarge" -> 413;
            case "Throttling", "Throttling.RateQuota", "Throttling.BurstRate", "Throttling.AllocationQuota" -> 429;
            case "InternalError" -> 500;
            case "ServiceUnavailable" -> 503;
            default -> 400; // InvalidParameter, DataInspectionFailed, Arrearage
        };
    }

    private void error(HttpExchange x, boolean compatible, String rid, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (compatible) {
            ObjectNode e = body.putObject("error");
            e.put("message", message).put("type", code.equals("InvalidApiKey") ? "invalid_request_error" : code)
                    .putNull("param").put("code", code.equals("InvalidApiKey") ? "invalid_api_key" : code);
            body.put("request_id", rid);
        } else {
            body.put("code", code).put("message", message).put("request_id", rid);
        }
        json(x, status(code), body);
    }

    private static void sendNativeEvent(OutputStream out, int id, ObjectNode data) throws IOException {
        send(out, "id:" + id + "\nevent:result\n:HTTP_STATUS/200\ndata:" + data + "\n\n");
    }

    private static void sendNativeError(OutputStream out, int id, int status, String code, String message, String rid)
            throws IOException {
        ObjectNode data = JSON.createObjectNode().put("code", code).put("message", message).put("request_id", rid);
        send(out, "id:" + id + "\nevent:error\n:HTTP_STATUS/" + status + "\ndata:" + data + "\n\n");
    }

    private static OutputStream startSse(HttpExchange x) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream;charset=UTF-8");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        return x.getResponseBody();
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.getResponseHeaders().set("X-DashScope-Request-Id", body.path("request_id").asText(""));
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static ObjectNode nativeUsage(int input, int output) {
        return JSON.createObjectNode().put("input_tokens", input).put("output_tokens", output)
                .put("total_tokens", input + output);
    }

    private static ObjectNode openAiUsage(int prompt, int completion) {
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    /** The vector of text i: three floats that survive float32 exactly. */
    static ArrayNode vector(int i) {
        return JSON.createArrayNode().add(i + 0.5).add(-(i + 0.25)).add(1.0);
    }

    private static List<String> texts(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.textValue());
        } else {
            input.forEach(t -> out.add(t.asText()));
        }
        return out;
    }
}
