package dev.switchboard.api.provider;

/**
 * The operations a channel type may support; each is a relay route or a channel action of the admin API.
 */
public enum Operation {
    /** {@code POST /v1/chat/completions}. */
    CHAT,
    /** {@code POST /v1/completions} (legacy text completions). */
    COMPLETIONS,
    /** {@code POST /v1/embeddings}. */
    EMBEDDINGS,
    /** {@code POST /v1/rerank}. */
    RERANK,
    /** {@code POST /v1/images/generations}. */
    IMAGES,
    /** {@code POST /v1/audio/speech}. */
    SPEECH,
    /** {@code POST /v1/audio/transcriptions}. */
    TRANSCRIPTION,
    /** {@code POST /v1/audio/translations}. */
    TRANSLATION,
    /** {@code POST /v1/moderations}. */
    MODERATIONS,
    /** Listing the models the vendor account offers (the admin "fetch models" action). */
    MODELS,
    /** Reading the vendor account's balance (the admin "balance" action). */
    BALANCE;

    /** The lower-case name used in JSON answers, e.g. {@code chat}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
