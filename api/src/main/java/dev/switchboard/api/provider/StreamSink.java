package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a {@link StreamTranslator} puts the OpenAI chunks it produces. The core writes and flushes each chunk
 * to the client as {@code data: <json>}.
 */
public interface StreamSink {

    /**
     * Sends one {@code chat.completion.chunk} (or the operation's chunk shape) to the client.
     *
     * @param chunk the chunk
     */
    void chunk(JsonNode chunk);
}
