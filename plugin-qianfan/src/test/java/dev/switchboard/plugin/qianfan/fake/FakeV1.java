package dev.switchboard.plugin.qianfan.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The v1 half of {@link FakeQianfan}: the token endpoint and wenxinworkshop calls, as Baidu answers them. */
final class FakeV1 {

    /** The chat answer, in the three pieces a stream sends. */
    static final List<String> SENTENCES = List.of("Hello", " from", " ERNIE.");
    static final long COMPLETION_TOKENS = 6;
    static final String FILTERED = "forbidden topic";
    static final String CANNED = "我无法回答这个问题。";

    private static final Set<String> CHAT = Set.of("completions_pro", "completions", "eb-instant", "ernie_speed",
            "ernie-speed-128k", "ernie_bot_8k", "ernie-lite-8k", "ernie-tiny-8k", "ernie-4.0-turbo-8k",
            "ernie-3.5-128k", "ernie-char-8k", "bloomz_7b1", "custom-deploy-1");
    private static final Set<String> EMBEDDINGS = Set.of("embedding-v1", "bge_large_zh", "bge_large_en", "tao_8k");
    private static final Set<String> RERANKERS = Set.of("bce_reranker_base");

    private final FakeQianfan fake;

    FakeV1(FakeQianfan fake) {
        this.fake = fake;
    }

    void token(HttpExchange ex) throws IOException {
        FakeQianfan.Call c = fake.record(ex);
        if (!fake.tokenDelay.isZero()) {
            FakeQianfan.sleep(fake.tokenDelay);
        }
        fake.tokenExchanges.incrementAndGet();
        FakeQianfan.Scripted s = fake.scripted(c.path());
        if (s != null) {
            FakeQianfan.send(ex, s.status(), s.contentType(), s.body());
            return;
        }
        Map<String, String> q = c.query();
        if (!"client_credentials".equals(q.get("grant_type"))) {
            FakeQianfan.json(ex, 400, "{\"error\":\"unsupported_grant_type\",\"error_description\":"
                    + "\"The authorization grant type is not supported\"}");
            return;
        }
        String secret = fake.credentials.get(q.getOrDefault("client_id", ""));
        if (secret == null) {
            FakeQianfan.json(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client id\"}");
            return;
        }
        if (!secret.equals(q.get("client_secret"))) {
            FakeQianfan.json(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":"
                    + "\"Client authentication failed\"}");
            return;
        }
        long life = fake.tokenLifetimeSeconds;
        String token = "24." + UUID.randomUUID().toString().replace("-", "") + "." + life + "."
                + System.currentTimeMillis() / 1000 + ".282335-" + fake.tokenExchanges.get();
        fake.tokens.put(token, FakeQianfan.TokenState.VALID);
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("refresh_token", "25." + UUID.randomUUID().toString().replace("-", ""));
        o.put("expires_in", life);
        o.put("session_key", "9mzdDZXu3dENdFZQurfg0Vz8slgSgvvOAUebNFzyzcpQ");
        o.put("access_token", token);
        o.put("scope", "public brain_all_scope wenxinworkshop_mgr ai_custom_yiyan_com");
        o.put("session_secret", "2ca66d464545c77a4767f709873be4");
        FakeQianfan.json(ex, 200, o);
    }

    void call(HttpExchange ex) throws IOException {
        FakeQianfan.Call c = fake.record(ex);
        String rest = c.path().substring("/rpc/2.0/ai_custom/v1/wenxinworkshop/".length());
        String token = c.query().get("access_token");
        FakeQianfan.TokenState state = token == null ? null : fake.tokens.get(token);
        if (state == null || state == FakeQianfan.TokenState.REVOKED) {
            error(ex, 110, "Access token invalid or no longer valid");
            return;
        }
        if (state == FakeQianfan.TokenState.EXPIRED) {
            error(ex, 111, "Access token expired");
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
            error(ex, 336002, "Invalid JSON");
            return;
        }
        int slash = rest.indexOf('/');
        String folder = slash < 0 ? "" : rest.substring(0, slash);
        String endpoint = slash < 0 ? rest : rest.substring(slash + 1);
        if (folder.equals("chat") && CHAT.contains(endpoint)) {
            chat(ex, body);
        } else if (folder.equals("embeddings") && EMBEDDINGS.contains(endpoint)) {
            embeddings(ex, body);
        } else if (folder.equals("reranker") && RERANKERS.contains(endpoint)) {
            rerank(ex, body);
        } else {
            error(ex, 3, "Unsupported openapi method");
        }
    }

    private static void error(HttpExchange ex, long code, String message) throws IOException {
        FakeQianfan.json(ex, 200, "{\"error_code\":" + code + ",\"error_msg\":\"" + message + "\"}");
    }

    private void chat(HttpExchange ex, JsonNode body) throws IOException {
        String problem = chatProblem(body);
        if (problem != null) {
            error(ex, 336003, problem);
            return;
        }
        long prompt = FakeQianfan.promptTokens(body);
        String id = fake.nextId();
        long created = System.currentTimeMillis() / 1000;
        JsonNode messages = body.get("messages");
        String last = messages.get(messages.size() - 1).path("content").asText("");
        boolean filtered = last.contains(FILTERED);
        JsonNode function = last.contains("weather") && body.path("functions").isArray()
                ? body.get("functions").get(0) : null;
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode o = answer(id, created, filtered ? CANNED : function != null ? "" : String.join("", SENTENCES));
            o.put("is_truncated", false);
            o.put("need_clear_history", filtered);
            if (filtered) {
                o.put("ban_round", -1);
            }
            if (function != null) {
                functionCall(o, function);
            }
            o.put("finish_reason", function != null ? "function_call" : "normal");
            usage(o, prompt, filtered ? 3 : COMPLETION_TOKENS);
            FakeQianfan.json(ex, 200, o);
            return;
        }
        List<String> events = new ArrayList<>();
        List<String> pieces = filtered ? List.of(CANNED) : function != null ? List.of("") : SENTENCES;
        for (int i = 0; i < pieces.size(); i++) {
            boolean end = i == pieces.size() - 1;
            ObjectNode e = answer(id, created, pieces.get(i));
            e.put("sentence_id", i);
            e.put("is_end", end);
            e.put("is_truncated", false);
            e.put("need_clear_history", end && filtered);
            if (end && filtered) {
                e.put("ban_round", -1);
            }
            if (end && function != null) {
                functionCall(e, function);
            }
            e.put("finish_reason", end && function != null ? "function_call" : "normal");
            // Baidu reports the completion count only at the end; earlier events say 0.
            usage(e, prompt, end ? (filtered ? 3 : COMPLETION_TOKENS) : 0);
            events.add(e.toString());
        }
        fake.stream(ex, events);
    }

    private static ObjectNode answer(String id, long created, String result) {
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", id);
        o.put("object", "chat.completion");
        o.put("created", created);
        o.put("result", result);
        return o;
    }

    private static void functionCall(ObjectNode o, JsonNode function) {
        ObjectNode fc = o.putObject("function_call");
        fc.put("name", function.path("name").asText());
        fc.put("arguments", "{\"city\":\"Beijing\"}");
        fc.put("thoughts", "The user asks for the weather; call the function.");
    }

    private static void usage(ObjectNode o, long prompt, long completion) {
        ObjectNode u = o.putObject("usage");
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
    }

    /** Baidu's rules for a chat body; the message of its 336003 when one is broken. */
    static String chatProblem(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return "messages is empty";
        }
        if (messages.size() % 2 == 0) {
            return "the length of messages must be an odd number";
        }
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            boolean userSide = role.equals("user") || role.equals("function");
            if (i == 0 && !role.equals("user") || i % 2 == 0 && !userSide || i % 2 == 1 && !role.equals("assistant")) {
                return "the role of message with even/odd index in the messages must be user or function/assistant";
            }
            if (!messages.get(i).path("content").isTextual()) {
                return "the content of messages must be a string";
            }
        }
        if (body.has("max_output_tokens") && body.get("max_output_tokens").asLong() < 2) {
            return "max_output_tokens must be at least 2";
        }
        if (body.has("temperature")) {
            double t = body.get("temperature").asDouble();
            if (t <= 0 || t > 1) {
                return "temperature must be in (0, 1]";
            }
        }
        if (body.has("penalty_score")) {
            double p = body.get("penalty_score").asDouble();
            if (p < 1 || p > 2) {
                return "penalty_score must be in [1, 2]";
            }
        }
        return null;
    }

    private static void embeddings(HttpExchange ex, JsonNode body) throws IOException {
        JsonNode input = body.get("input");
        if (input == null || !input.isArray() || input.isEmpty()) {
            error(ex, 336003, "input is empty or not a list");
            return;
        }
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", "as-emb" + input.size());
        o.put("object", "embedding_list");
        o.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = o.putArray("data");
        long tokens = 0;
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).isTextual()) {
                error(ex, 336003, "input must be a list of strings");
                return;
            }
            String text = input.get(i).textValue();
            tokens += text.length();
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            vector(d.putArray("embedding"), text);
            d.put("index", i);
        }
        o.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        FakeQianfan.json(ex, 200, o);
    }

    /** The fake's embedding of a text: four numbers anyone can recompute. */
    static void vector(ArrayNode into, String text) {
        into.add(text.length() / 10.0).add(0.5).add(-0.25).add(1.0 / 3.0);
    }

    private static void rerank(HttpExchange ex, JsonNode body) throws IOException {
        String query = body.path("query").asText("");
        JsonNode documents = body.get("documents");
        if (query.isEmpty() || documents == null || !documents.isArray() || documents.isEmpty()) {
            error(ex, 336003, "query and documents are required");
            return;
        }
        List<ObjectNode> results = new ArrayList<>();
        long tokens = query.length();
        for (int i = 0; i < documents.size(); i++) {
            if (!documents.get(i).isTextual()) {
                error(ex, 336003, "documents must be a list of strings");
                return;
            }
            String doc = documents.get(i).textValue();
            tokens += doc.length();
            ObjectNode r = FakeQianfan.JSON.createObjectNode();
            r.put("document", doc);
            r.put("relevance_score", score(query, doc, i));
            r.put("index", i);
            results.add(r);
        }
        results.sort(Comparator.comparingDouble((ObjectNode r) -> r.get("relevance_score").asDouble()).reversed());
        int topN = body.path("top_n").asInt(results.size());
        ObjectNode o = FakeQianfan.JSON.createObjectNode();
        o.put("id", "as-rerank");
        o.put("object", "reranker_list");
        o.put("created", System.currentTimeMillis() / 1000);
        ArrayNode list = o.putArray("results");
        results.subList(0, Math.min(topN, results.size())).forEach(list::add);
        o.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        FakeQianfan.json(ex, 200, o);
    }

    /** Documents that contain the query score high, the earlier the higher; the others low. */
    static double score(String query, String doc, int index) {
        return doc.contains(query) ? 0.9 - index * 0.01 : 0.1 + index * 0.01;
    }
}
