package dev.switchboard.plugin.siliconcloud;

import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;

/**
 * The operations SiliconFlow serves in OpenAI's own shapes: chat, completions, embeddings, speech and
 * transcription. Their bodies go upstream as the client sent them (extra fields such as {@code enable_thinking},
 * {@code thinking_budget}, {@code min_p}, {@code top_k} or {@code dimensions} untouched) and their answers come
 * back byte for byte: {@code reasoning_content}, audio bytes with their content type, {@code {text}}.
 *
 * <p>SiliconFlow repeats the cumulative {@code usage} in every stream chunk; the core reads usage from any chunk
 * (the last value wins) and decides what the client sees of it.
 */
final class PassThrough {

    private PassThrough() {
    }

    /**
     * @param op an operation
     * @return whether it is a pass-through call
     */
    static boolean handles(Operation op) {
        return path(op) != null;
    }

    /**
     * @param request the client's request
     * @param channel the channel
     * @return the call
     */
    static UpstreamCall call(RelayRequest request, Channel channel) {
        return UpstreamCall.passThrough(SiliconCloudType.baseUrl(channel) + path(request.operation()))
                .header("Authorization", SiliconCloudType.authorization(channel))
                .stream(request.stream())
                .build();
    }

    private static String path(Operation op) {
        return switch (op) {
            case CHAT -> "/chat/completions";
            case COMPLETIONS -> "/completions";
            case EMBEDDINGS -> "/embeddings";
            case SPEECH -> "/audio/speech";
            case TRANSCRIPTION -> "/audio/transcriptions";
            default -> null;
        };
    }
}
