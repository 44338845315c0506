package dev.switchboard.core.relay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Finds the top-level {@code usage} object of a JSON answer while its bytes stream through to the client,
 * with Jackson's non-blocking parser: no copy of the body, no tree of it. A body that is not JSON just yields no
 * usage; the bytes the client gets are never affected.
 */
final class UsageScanner {

    private JsonParser parser;
    private int depth;
    private boolean nextIsUsage;
    private TokenBuffer capture;
    private int captureDepth;
    private Usage usage;

    UsageScanner() {
        try {
            parser = Json.MAPPER.getFactory().createNonBlockingByteBufferParser();
        } catch (IOException e) {
            parser = null;
        }
    }

    /** @param chunk the next bytes; read, not consumed (its position is unchanged) */
    void feed(ByteBuffer chunk) {
        if (parser == null || !chunk.hasRemaining()) {
            return;
        }
        try {
            ((ByteBufferFeeder) parser.getNonBlockingInputFeeder()).feedInput(chunk.duplicate());
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

    /** @return the usage found, or {@code null} */
    Usage usage() {
        return usage;
    }
}
