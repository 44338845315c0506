package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The tool calls of one streamed choice, reassembled into OpenAI's deltas. DashScope streams a call as pieces
 * under {@code message.tool_calls[]}: the first carries {@code id}, {@code type} and {@code function.name}, later
 * ones an empty {@code id} and fragments of {@code function.arguments} (some versions repeat the name, or send no
 * {@code index}). OpenAI clients group deltas by {@code index} and read {@code id}, {@code type} and the name from
 * the first one only, so each call is announced once, {@code {index, id, type, function:{name, arguments:""}}},
 * and then only its argument fragments follow, {@code {index, function:{arguments}}}. Fragments seen before the
 * name are held back until it comes.
 */
final class ToolCallDeltas {

    private final ObjectMapper mapper;
    private final List<Call> calls = new ArrayList<>();
    private final Map<Integer, Call> byUpstreamIndex = new HashMap<>();

    ToolCallDeltas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One call being streamed; {@code index} is its OpenAI index (order of appearance). */
    private static final class Call {
        final int index;
        String id = "";
        String type = "function";
        String name = "";
        final StringBuilder pending = new StringBuilder();
        boolean announced;

        Call(int index) {
            this.index = index;
        }
    }

    /**
     * @param toolCalls the {@code tool_calls} array of one native event's message
     * @param emit receives each OpenAI tool-call delta, in order
     */
    void accept(JsonNode toolCalls, Consumer<ObjectNode> emit) {
        for (JsonNode piece : toolCalls) {
            Call c = locate(piece);
            JsonNode fn = piece.path("function");
            String args = fn.path("arguments").isTextual() ? fn.get("arguments").textValue()
                    : fn.path("arguments").isMissingNode() || fn.path("arguments").isNull() ? ""
                    : fn.get("arguments").toString();
            if (c.announced) {
                if (!args.isEmpty()) {
                    emit.accept(fragment(c, args));
                }
                continue;
            }
            String id = piece.path("id").asText("");
            if (!id.isEmpty()) {
                c.id = id;
            }
            String type = piece.path("type").asText("");
            if (!type.isEmpty()) {
                c.type = type;
            }
            String name = fn.path("name").asText("");
            if (!name.isEmpty()) {
                c.name = name;
            }
            c.pending.append(args);
            if (!c.name.isEmpty()) {
                announce(c, emit);
            }
        }
    }

    /**
     * Announces calls still held back (their name never came apart from their arguments), at the end of the choice.
     *
     * @param emit receives the deltas
     */
    void flush(Consumer<ObjectNode> emit) {
        for (Call c : calls) {
            if (!c.announced) {
                announce(c, emit);
            }
        }
    }

    /** @return whether the choice called any tool */
    boolean any() {
        return !calls.isEmpty();
    }

    private Call locate(JsonNode piece) {
        JsonNode index = piece.get("index");
        if (index != null && index.canConvertToInt()) {
            return byUpstreamIndex.computeIfAbsent(index.asInt(), i -> newCall());
        }
        // No index: a new non-empty id starts a call; anything else continues the last one.
        String id = piece.path("id").asText("");
        for (Call c : calls) {
            if (!id.isEmpty() && id.equals(c.id)) {
                return c;
            }
        }
        if (calls.isEmpty() || !id.isEmpty()) {
            return newCall();
        }
        return calls.get(calls.size() - 1);
    }

    private Call newCall() {
        Call c = new Call(calls.size());
        calls.add(c);
        return c;
    }

    private void announce(Call c, Consumer<ObjectNode> emit) {
        c.announced = true;
        if (c.id.isEmpty()) {
            c.id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        }
        ObjectNode d = mapper.createObjectNode();
        d.put("index", c.index);
        d.put("id", c.id);
        d.put("type", c.type);
        ObjectNode f = d.putObject("function");
        f.put("name", c.name);
        f.put("arguments", "");
        emit.accept(d);
        if (c.pending.length() > 0) {
            emit.accept(fragment(c, c.pending.toString()));
            c.pending.setLength(0);
        }
    }

    private ObjectNode fragment(Call c, String args) {
        ObjectNode d = mapper.createObjectNode();
        d.put("index", c.index);
        d.putObject("function").put("arguments", args);
        return d;
    }
}
