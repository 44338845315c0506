package dev.switchboard.core.relay;

import dev.switchboard.api.provider.Operation;

/**
 * The relay's POST routes and what each requires of its body.
 *
 * @param path the path under {@code /v1}
 * @param operation the operation
 * @param multipart whether the body is a multipart upload
 */
record RelayRoute(String path, Operation operation, boolean multipart) {

    static final RelayRoute[] POSTS = {
        new RelayRoute("/v1/chat/completions", Operation.CHAT, false),
        new RelayRoute("/v1/completions", Operation.COMPLETIONS, false),
        new RelayRoute("/v1/embeddings", Operation.EMBEDDINGS, false),
        new RelayRoute("/v1/rerank", Operation.RERANK, false),
        new RelayRoute("/v1/images/generations", Operation.IMAGES, false),
        new RelayRoute("/v1/audio/speech", Operation.SPEECH, false),
        new RelayRoute("/v1/audio/transcriptions", Operation.TRANSCRIPTION, true),
        new RelayRoute("/v1/audio/translations", Operation.TRANSLATION, true),
        new RelayRoute("/v1/moderations", Operation.MODERATIONS, false),
    };

    static RelayRoute post(String path) {
        for (RelayRoute r : POSTS) {
            if (r.path.equals(path)) {
                return r;
            }
        }
        return null;
    }

    /** Whether answers may stream (the client sets {@code stream: true}). */
    boolean streamable() {
        return operation == Operation.CHAT || operation == Operation.COMPLETIONS;
    }
}
