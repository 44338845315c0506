package dev.switchboard.api.provider;

/**
 * Converts one vendor event stream into OpenAI chunks. Stateful: one instance per streamed answer, fed from one
 * thread at a time. The core writes the final usage chunk (when the client asked for it) and {@code [DONE]}:
 * a translator emits content chunks only and reports the usage it saw.
 */
public interface StreamTranslator {

    /**
     * Handles one upstream event.
     *
     * @param event the event
     * @param sink where to put the chunks it yields (none, one or several)
     * @throws UpstreamErrorException when the event reports an error (an in-band error event); the core ends
     *     the stream with it, or answers with its status if nothing was sent yet
     */
    void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException;

    /**
     * Called once when the upstream stream ended normally, to flush anything held back.
     *
     * @param sink where to put final chunks
     */
    default void onEnd(StreamSink sink) {
    }

    /**
     * @return whether the vendor has signalled the end of the answer (some vendors send no {@code [DONE]});
     *     the core then stops reading
     */
    default boolean finished() {
        return false;
    }

    /** @return the usage seen so far (for cumulative usage, the last value); {@link Usage#NONE} if none */
    Usage usage();
}
