package dev.switchboard.core.relay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Finds the top-level {@code usage} object of a JSON answer while its bytes stream through to the client,
 * with Jackson's non-blocking parser: no tree of the body. It reads heap bytes (the relay copies each chunk once
 * and shares the copy with the generated-text buffer): Jackson reads a direct buffer a byte at a time through
 * bounds-checked calls, several times slower than an array. A body that is not JSON just yields no
 * usage; the bytes the client gets are never affected.
 */
final class UsageScanner {

    /** Answers up to this size are kept whole and scanned once at their end (faster than token by token). */
    static final int WHOLE_LIMIT = 1024 * 1024;

    /** Reads the usage object in the middle of the answer (the answer's own end comes after it). */
    private static final ObjectReader USAGE = Json.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonParser parser;
    private byte[] whole;
    private int wholeSize;
    private int depth;
    private boolean nextIsUsage;
    private TokenBuffer capture;
    private int captureDepth;
    private Usage usage;

    /** A scanner that reads token by token as the bytes come. */
    UsageScanner() {
        this(-1);
    }

    /**
     * @param contentLength the answer's declared length, or -1: an answer of a known length up to
     *     {@link #WHOLE_LIMIT} is kept and scanned once, with a blocking parser that skips what is not usage
     *     without reading it into tokens; others are read token by token as they come.
     */
    UsageScanner(long contentLength) {
        if (contentLength >= 0 && contentLength <= WHOLE_LIMIT) {
            whole = new byte[(int) contentLength];
            return;
        }
        try {
            parser = Json.MAPPER.getFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            parser = null;
        }
    }

    /** @param chunk the next bytes; read, not consumed (its position is unchanged) */
    void feed(ByteBuffer chunk) {
        byte[] copy = new byte[chunk.remaining()];
        chunk.duplicate().get(copy);
        feed(copy);
    }

    /** @param chunk the next bytes, kept by the scanner until the next feed */
    void feed(byte[] chunk) {
        if (whole != null) {
            int n = Math.min(chunk.length, whole.length - wholeSize);
            System.arraycopy(chunk, 0, whole, wholeSize, n);
            wholeSize += n;
            return;
        }
        if (parser == null || chunk.length == 0) {
            return;
        }
        try {
            ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(chunk, 0, chunk.length);
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                onToken(t);
            }
        } catch (IOException | RuntimeException e) {
            parser = null;
        }
    }

    private void onToken(JsonToken t) throws IOException {
        if (capture != null) {
            capture.copyCurrentEvent(parser);
            if (t.isStructStart()) {
                captureDepth++;
            } else if (t.isStructEnd() && --captureDepth == 0) {
                JsonNode node = capture.asParser(Json.MAPPER).readValueAsTree();
                Usage u = UsageReader.read(node);
                if (u != null) {
                    usage = u;
                }
                capture = null;
            }
            if (t.isStructEnd()) {
                depth--;
            } else if (t.isStructStart()) {
                depth++;
            }
            return;
        }
        if (t == JsonToken.FIELD_NAME) {
            nextIsUsage = depth == 1 && "usage".equals(parser.currentName());
            return;
        }
        if (nextIsUsage && t == JsonToken.START_OBJECT) {
            capture = new TokenBuffer(Json.MAPPER, false);
            capture.copyCurrentEvent(parser);
            captureDepth = 1;
            nextIsUsage = false;
            depth++;
            return;
        }
        nextIsUsage = false;
        if (t.isStructStart()) {
            depth++;
        } else if (t.isStructEnd()) {
            depth--;
        }
    }

    /** @return the usage found, or {@code null}; for an answer kept whole, call it once its end came */
    Usage usage() {
        if (whole != null) {
            usage = scanWhole(whole, wholeSize);
            whole = null;
        }
        return usage;
    }

    private static Usage scanWhole(byte[] body, int length) {
        Usage found = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isUsage = "usage".equals(p.currentName());
                if (p.nextToken() == JsonToken.START_OBJECT && isUsage) {
                    Usage u = UsageReader.read(USAGE.<JsonNode>readValue(p));
                    found = u != null ? u : found;
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON after all: no usage, as for the token-by-token scan.
        }
        return found;
    }
}
