package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI messages as Baidu v1 wants them: {@code user} / {@code assistant} (/ {@code function}) turns that
 * alternate, start with the user and end with the user or a function result, system text lifted out. See
 * {@link V1ChatRequest} for the rules.
 */
final class V1Messages {

    private V1Messages() {
    }

    /**
     * @param messages the client's messages
     * @param system collects the lifted system and developer texts
     * @param mapper the plugin's mapper
     * @return Baidu's {@code messages}
     * @throws UpstreamErrorException a 400 naming the message at fault
     */
    static ArrayNode translate(JsonNode messages, StringBuilder system, ObjectMapper mapper)
            throws UpstreamErrorException {
        Map<String, String> callNames = V1ChatRequest.callNames(messages);
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            String where = "messages[" + i + "]";
            switch (role) {
                case "system", "developer" -> {
                    if (system.length() > 0) {
                        system.append("\n\n");
                    }
                    system.append(text(m, where));
                }
                case "user" -> add(turns, new Turn("user", text(m, where), null, null, i));
                case "assistant" -> add(turns, new Turn("assistant", text(m, where), functionCall(m, where, mapper),
                        null, i));
                case "tool" -> {
                    String id = m.path("tool_call_id").asText("");
                    String name = m.path("name").isTextual() ? m.get("name").textValue() : callNames.get(id);
                    if (name == null || name.isEmpty()) {
                        throw invalid(where, where + " answers tool call '" + id + "', which no earlier assistant"
                                + " message made; send the assistant message with its tool_calls first");
                    }
                    turns.add(new Turn("function", text(m, where), null, name, i));
                }
                case "function" -> turns.add(new Turn("function", text(m, where), null,
                        m.path("name").asText("function"), i));
                default -> throw invalid(where + ".role", where + ".role '" + role + "' is not one of system,"
                        + " developer, user, assistant, tool");
            }
        }
        check(turns);
        ArrayNode out = mapper.createArrayNode();
        for (Turn t : turns) {
            ObjectNode m = out.addObject();
            m.put("role", t.role);
            if (t.name != null) {
                m.put("name", t.name);
            }
            m.put("content", t.content);
            if (t.functionCall != null) {
                m.set("function_call", t.functionCall);
            }
        }
        return out;
    }

    /** Merges a turn into the previous one when both are plain texts of the same role. */
    private static void add(List<Turn> turns, Turn t) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.role.equals(t.role) && last.functionCall == null && t.functionCall == null) {
            String joined = last.content.isEmpty() ? t.content : t.content.isEmpty() ? last.content
                    : last.content + "\n\n" + t.content;
            turns.set(turns.size() - 1, new Turn(last.role, joined, null, null, last.index));
        } else {
            turns.add(t);
        }
    }

    private static void check(List<Turn> turns) throws UpstreamErrorException {
        if (turns.isEmpty()) {
            throw invalid("messages", "messages must hold a user message besides system and developer messages");
        }
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            String where = "messages[" + t.index + "]";
            boolean userSide = !t.role.equals("assistant");
            if (i == 0 && !t.role.equals("user")) {
                throw invalid(where, "Baidu Qianfan v1 needs the conversation to start with a user message, but "
                        + where + " (the first after system messages) is a " + describe(t) + " message");
            }
            if (i % 2 == 0 && !userSide) {
                throw invalid(where, "Baidu Qianfan v1 needs user and assistant turns to alternate, but " + where
                        + " is an assistant message after another assistant message with a tool call");
            }
            if (i % 2 == 1 && userSide) {
                throw invalid(where, "Baidu Qianfan v1 needs user and assistant turns to alternate, but " + where
                        + " is a " + describe(t) + " message after a " + describe(turns.get(i - 1)) + " message");
            }
        }
        Turn last = turns.get(turns.size() - 1);
        if (last.role.equals("assistant")) {
            throw invalid("messages[" + last.index + "]", "Baidu Qianfan v1 needs the conversation to end with a"
                    + " user message or a tool result; the last message is from the assistant");
        }
    }

    private static String describe(Turn t) {
        return t.role.equals("function") ? "tool" : t.role;
    }

    private static String text(JsonNode m, String where) throws UpstreamErrorException {
        JsonNode c = m.get("content");
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (!c.isArray()) {
            throw invalid(where + ".content", where + ".content must be a string or an array of text parts");
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode part : c) {
            String type = part.path("type").asText();
            if (!type.equals("text")) {
                throw invalid(where + ".content", where + " holds a '" + type + "' part; Baidu Qianfan v1 takes"
                        + " text only (use a v2 channel with a vision model for images)");
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(part.path("text").asText(""));
        }
        return b.toString();
    }

    private static ObjectNode functionCall(JsonNode m, String where, ObjectMapper mapper)
            throws UpstreamErrorException {
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray() && !calls.isEmpty()) {
            if (calls.size() > 1) {
                throw invalid(where + ".tool_calls", where + " makes " + calls.size() + " tool calls at once;"
                        + " Baidu Qianfan v1 takes one function call per assistant turn");
            }
            JsonNode f = calls.get(0).path("function");
            ObjectNode fc = mapper.createObjectNode();
            fc.put("name", f.path("name").asText(""));
            fc.put("arguments", f.path("arguments").isTextual() ? f.get("arguments").textValue()
                    : f.path("arguments").toString());
            return fc;
        }
        JsonNode legacy = m.get("function_call");
        return legacy != null && legacy.isObject() ? legacy.deepCopy() : null;
    }

    private static UpstreamErrorException invalid(String param, String message) {
        return new UpstreamErrorException(V1Errors.invalidRequest(param, message));
    }

    /** One Baidu message in the making; {@code index} is the client's message it started from. */
    private record Turn(String role, String content, ObjectNode functionCall, String name, int index) {
    }
}
