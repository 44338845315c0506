package dev.switchboard.plugin.openai;

import dev.switchboard.api.provider.Operation;

/** The OpenAI path of each operation, relative to the base URL (which ends in {@code /v1}). */
final class Paths {

    private Paths() {
    }

    static String of(Operation op) {
        return switch (op) {
            case CHAT -> "/chat/completions";
            case COMPLETIONS -> "/completions";
            case EMBEDDINGS -> "/embeddings";
            case RERANK -> "/rerank";
            case IMAGES -> "/images/generations";
            case SPEECH -> "/audio/speech";
            case TRANSCRIPTION -> "/audio/transcriptions";
            case TRANSLATION -> "/audio/translations";
            case MODERATIONS -> "/moderations";
            case MODELS -> "/models";
            case BALANCE -> throw new IllegalArgumentException("OpenAI has no balance endpoint");
        };
    }
}
