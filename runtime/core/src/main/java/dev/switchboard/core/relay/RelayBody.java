package dev.switchboard.core.relay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON request body: its bytes as the client sent them, its tree (for validation, routing and translating
 * adapters), and where the top-level {@code model} and {@code stream_options} values sit in the bytes, so the
 * pass-through path can rewrite just those and forward everything else byte for byte.
 */
final class RelayBody {

    private final byte[] raw;
    private final ObjectNode tree;
    private final int objectStart;
    private final int[] modelSpan;
    private final int[] streamOptionsSpan;

    private RelayBody(byte[] raw, ObjectNode tree, int objectStart, int[] modelSpan, int[] streamOptionsSpan) {
        this.raw = raw;
        this.tree = tree;
        this.objectStart = objectStart;
        this.modelSpan = modelSpan;
        this.streamOptionsSpan = streamOptionsSpan;
    }

    /**
     * @param raw the body
     * @param trees a reader from {@link #treeReader}, whose factory carries the nesting and size limits
     * @return the parsed body
     * @throws RelayError 400 {@code invalid_json} when it is not one well-formed JSON object
     */
    static RelayBody parse(byte[] raw, ObjectReader trees) {
        if (raw.length == 0) {
            throw RelayError.invalid("invalid_json", null, "the body is empty; send a JSON object");
        }
        try (JsonParser p = trees.getFactory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw RelayError.invalid("invalid_json", null, "the body must be a JSON object");
            }
            int objectStart = (int) p.currentTokenLocation().getByteOffset();
            ObjectNode tree = Json.object();
            int[] model = null;
            int[] streamOptions = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                JsonNode value = trees.readValue(p);
                int end = (int) p.currentLocation().getByteOffset();
                tree.set(name, value);
                if (name.equals("model")) {
                    model = new int[] {start, end};
                } else if (name.equals("stream_options")) {
                    streamOptions = new int[] {start, end};
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw RelayError.invalid("invalid_json", null, "the body must be exactly one JSON object");
            }
            return new RelayBody(raw, tree, objectStart, model, streamOptions);
        } catch (JsonProcessingException e) {
            throw RelayError.invalid("invalid_json", null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RelayError.invalid("invalid_json", null, "the body could not be read: " + e.getMessage());
        }
    }

    /**
     * @param mapper a mapper whose factory carries the limits
     * @return the reader {@link #parse} needs: one value at a time, the rest of the object still to come
     */
    static ObjectReader treeReader(ObjectMapper mapper) {
        return mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    ObjectNode tree() {
        return tree;
    }

    byte[] raw() {
        return raw;
    }

    /**
     * The body to send upstream on the pass-through path: the client's bytes, with {@code model} replaced when
     * it differs and {@code stream_options.include_usage} set when asked. Unchanged bytes when neither applies.
     *
     * @param upstreamModel the model name to send
     * @param askUsage whether to set {@code stream_options.include_usage: true}
     * @return the bytes
     */
    byte[] forUpstream(String upstreamModel, boolean askUsage) {
        List<int[]> spans = new ArrayList<>();
        List<byte[]> replacements = new ArrayList<>();
        List<String> inserts = new ArrayList<>();
        String currentModel = tree.path("model").isTextual() ? tree.get("model").textValue() : null;
        if (upstreamModel != null && !upstreamModel.equals(currentModel)) {
            byte[] quoted = quote(upstreamModel);
            if (modelSpan != null) {
                spans.add(modelSpan);
                replacements.add(quoted);
            } else {
                inserts.add("\"model\":" + new String(quoted, StandardCharsets.UTF_8));
            }
        }
        if (askUsage && !tree.path("stream_options").path("include_usage").asBoolean(false)) {
            JsonNode existing = tree.get("stream_options");
            ObjectNode options = existing != null && existing.isObject() ? ((ObjectNode) existing).deepCopy()
                    : Json.object();
            options.put("include_usage", true);
            if (streamOptionsSpan != null) {
                spans.add(streamOptionsSpan);
                replacements.add(Json.bytes(options));
            } else {
                inserts.add("\"stream_options\":" + options);
            }
        }
        if (spans.isEmpty() && inserts.isEmpty()) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        int at = objectStart + 1;
        out.write(raw, 0, at);
        if (!inserts.isEmpty()) {
            out.writeBytes(String.join(",", inserts).getBytes(StandardCharsets.UTF_8));
            if (tree.size() > 0) {
                out.write(',');
            }
        }
        // Spans are disjoint top-level values: apply them in byte order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Integer.compare(spans.get(a)[0], spans.get(b)[0]));
        for (int i : order) {
            int[] s = spans.get(i);
            out.write(raw, at, s[0] - at);
            out.writeBytes(replacements.get(i));
            at = s[1];
        }
        out.write(raw, at, raw.length - at);
        return out.toByteArray();
    }

    private static byte[] quote(String s) {
        return Json.bytes(Json.MAPPER.getNodeFactory().textNode(s));
    }
}
