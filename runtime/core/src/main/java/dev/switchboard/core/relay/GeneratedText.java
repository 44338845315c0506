package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the upstream generated for the client, kept only so the accounting can count it when the upstream gave no
 * usage (or the client left mid-stream). Collecting is cheap on the hot path (references to chunks already made,
 * up to a bound); extracting the text from OpenAI-shaped chunks or bodies happens later, off it.
 */
public final class GeneratedText {

    private static final int MAX_BYTES = 8 * 1024 * 1024;

    private final List<Object> parts = new ArrayList<>();
    /** The answer body's chunks as the relay copied them (never changed after): kept, not copied again. */
    private final List<byte[]> body = new ArrayList<>();
    private int size;

    /** @param chunk an OpenAI chunk or body as JSON text */
    synchronized void add(String chunk) {
        if (size + chunk.length() <= MAX_BYTES) {
            size += chunk.length();
            parts.add(chunk);
        }
    }

    /** @param chunk an OpenAI chunk or body as a tree */
    synchronized void add(JsonNode chunk) {
        if (size < MAX_BYTES) {
            size += 256;
            parts.add(chunk);
        }
    }

    /** @param bytes the next bytes of an answer body, kept up to the limit; the caller does not change them after */
    synchronized void addBody(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_BYTES - size);
        if (n > 0) {
            body.add(n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n));
            size += n;
        }
    }

    /** @return the generated text: message and delta contents, reasoning, tool call arguments, completion text */
    public synchronized String text() {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            JsonNode node = p instanceof JsonNode n ? n : parse(((String) p).getBytes(StandardCharsets.UTF_8));
            collect(node, sb);
        }
        if (!body.isEmpty()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream(size);
            body.forEach(whole::writeBytes);
            collect(parse(whole.toByteArray()), sb);
        }
        return sb.toString();
    }

    private static void collect(JsonNode node, StringBuilder sb) {
        if (node == null) {
            return;
        }
        for (JsonNode choice : node.path("choices")) {
            for (String part : new String[] {"delta", "message"}) {
                JsonNode m = choice.path(part);
                append(m.path("content"), sb);
                append(m.path("reasoning_content"), sb);
                for (JsonNode call : m.path("tool_calls")) {
                    append(call.path("function").path("name"), sb);
                    append(call.path("function").path("arguments"), sb);
                }
            }
            append(choice.path("text"), sb);
        }
    }

    private static void append(JsonNode text, StringBuilder sb) {
        if (text.isTextual()) {
            sb.append(text.asText());
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
