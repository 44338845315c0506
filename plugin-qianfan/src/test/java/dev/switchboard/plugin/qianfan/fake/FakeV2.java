package dev.switchboard.plugin.qianfan.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The v2 half of {@link FakeQianfan}: OpenAI-shaped chat, embeddings and rerankers with Bearer auth, ids
 * {@code as-...}, extra choice fields ({@code flag}, {@code ban_round}, {@code need_clear_history}),
 * {@code reasoning_content} from reasoning models, streams ending with {@code [DONE]}, and errors
 * {@code {"error":{code,message,type},"id"}}.
 */
final class FakeV2 {

    static final Set<String> CHAT_MODELS = Set.of("ernie-4.5-turbo-128k", "ernie-4.5-turbo-32k", "ernie-x1-turbo-32k",
            "ernie-speed-pro-128k", "ernie-lite-8k", "deepseek-v3", "deepseek-r1");
    static final Set<String> REASONING = Set.of("ernie-x1-turbo-32k", "deepseek-r1");
    static final List<String> PIECES = List.of("Hello", " from", " Qianfan v2.");
    static final String THOUGHT = "The user greets me.";
    static final long COMPLETION_TOKENS = 9;

    private final FakeQianfan fake;

    FakeV2(FakeQianfan fake) {
        this.fake = fake;
    }

    void call(HttpExchange ex) throws IOException {
        FakeQianfan.Call c = fake.record(ex);
        String auth = c.headers().getOrDefault("authorization", "");
        if (!auth.equals("Bearer " + fake.v2Key)) {
            error(ex, 401, "access_denied", "Access denied: the IAM token is invalid");
            return;
        }
        FakeQianfan.Scripted s = fake.scripted(c.path());
        if (s != null) {
            FakeQianfan.send(ex, s.status(), s.contentType(), s.body());
            return;
        }
        JsonNode body;
        try {
            body = FakeQianfan.JSON.readTree(c.body());
        } catch (IOException e) {
            error(ex, 400, "malformed_json", "Invalid Argument");
            return;
        }
        switch (c.path()) {
            case "/v2/chat/completions" -> chat(ex, body);
            case "/v2/embeddings" -> embeddings(ex, body);
            case "/v2/rerankers" -> rerank(ex, body);
            default -> error(ex, 404, "not_found", "Not Found");
        }
    }

    static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        FakeQianfan.json(ex, status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"type\":\"invalid_request_error\"},\"id\":\"as-v2err\"}");
    }

    private void chat(HttpExchange ex, JsonNode body) throws IOException {
        String model = body.path("model").asText("");
        if (!CHAT_MODELS.contains(model)) {
            error(ex, 400, "invalid_model", "model " + model + " is not supported");
            return;
        }
        if (!body.path("messages").isArray() || body.get("messages").isEmpty()) {
            error(ex, 400, "invalid_messages", "messages is empty");
            return;
        }
        long prompt = FakeQianfan.promptTokens(body);
        String id = fake.nextId();
        long created = System.currentTimeMillis() / 1000;
        boolean reasoning = REASONING.contains(model);
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode o = head(id, "chat.completion", created, model);
            ObjectNode choice = o.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", String.join("", PIECES));
            if (reasoning) {
                message.put("reasoning_content", THOUGHT);
            }
            choice.put("finish_reason", "stop");
            choice.put("flag", 0);
            choice.put("ban_round", -1);
            usage(o, prompt);
            FakeQianfan.json(ex, 200, o);
            return;
        }
        List<String> events = new ArrayList<>();
        if (reasoning) {
            events.add(chunk(id, created, model, FakeQianfan.JSON.createObjectNode().put("role", "assistant")
                    .put("content", "").put("reasoning_content", THOUGHT), null).toString());
        }
        for (int i = 0; i < PIECES.size(); i++) {
            ObjectNode delta = FakeQianfan.JSON.createObjectNode();
            if (i == 0 && !reasoning) {
                delta.put("role", "assistant");
            }
            delta.put("content", PIECES.get(i));
            events.add(chunk(id, created, model, delta, null).toString());
        }
        events.add(chunk(id, created, model, FakeQianfan.JSON.createObjectNode(), "stop").toString());
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode last = head(id, "chat.completion.chunk", created, model);
            last.putArray("choices");
            usage(last, prompt);
            events.add(last.toString());
        }
        events.add("[DONE]");
        fake.stream(ex, events);
    }

    private static ObjectNode head(String id, String object, long created, String model) {
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", model);
        return o;
    }

    private static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finish) {
        ObjectNode o = head(id, "chat.completion.chunk", created, model);
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        choice.put("flag", 0);
        return o;
    }

    private static void usage(ObjectNode o, long prompt) {
        ObjectNode u = o.putObject("usage");
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", COMPLETION_TOKENS);
        u.put("total_tokens", prompt + COMPLETION_TOKENS);
    }

    private static void embeddings(HttpExchange ex, JsonNode body) throws IOException {
        if (body.has("encoding_format") && !"float".equals(body.get("encoding_format").asText())) {
            // The fake answers floats only, so the gateway must never rely on the upstream encoding.
            error(ex, 400, "invalid_argument", "encoding_format " + body.get("encoding_format").asText()
                    + " is not supported");
            return;
        }
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.textValue());
        } else if (input != null && input.isArray()) {
            input.forEach(t -> texts.add(t.asText()));
        }
        if (texts.isEmpty()) {
            error(ex, 400, "invalid_argument", "input is empty");
            return;
        }
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", "as-v2emb");
        o.put("object", "list");
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", body.path("model").asText());
        ArrayNode data = o.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            FakeV1.vector(d.putArray("embedding"), texts.get(i));
            d.put("index", i);
            tokens += texts.get(i).length();
        }
        o.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        FakeQianfan.json(ex, 200, o);
    }

    private static void rerank(HttpExchange ex, JsonNode body) throws IOException {
        String query = body.path("query").asText("");
        JsonNode documents = body.get("documents");
        if (query.isEmpty() || documents == null || !documents.isArray() || documents.isEmpty()) {
            error(ex, 400, "invalid_argument", "query and documents are required");
            return;
        }
        List<ObjectNode> results = new ArrayList<>();
        long tokens = query.length();
        for (int i = 0; i < documents.size(); i++) {
            if (!documents.get(i).isTextual()) {
                error(ex, 400, "invalid_argument", "documents must be strings");
                return;
            }
            String doc = documents.get(i).textValue();
            tokens += doc.length();
            ObjectNode r = FakeQianfan.JSON.createObjectNode();
            r.put("document", doc);
            r.put("relevance_score", FakeV1.score(query, doc, i));
            r.put("index", i);
            results.add(r);
        }
        results.sort(Comparator.comparingDouble((ObjectNode r) -> r.get("relevance_score").asDouble()).reversed());
        int topN = body.path("top_n").asInt(results.size());
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", "as-v2rerank");
        o.put("object", "rerank_list");
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", body.path("model").asText());
        ArrayNode list = o.putArray("results");
        results.subList(0, Math.min(topN, results.size())).forEach(list::add);
        o.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        FakeQianfan.json(ex, 200, o);
    }
}
