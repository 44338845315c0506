package dev.switchboard.plugin.qwen;

import java.util.Locale;

/**
 * What DashScope's model families require, judged by the upstream model name (after the channel's mapping).
 * Names are matched by prefix so dated snapshots ({@code qwen-plus-2025-07-28}, {@code qwq-plus-latest}) count.
 */
final class QwenModels {

    private QwenModels() {
    }

    /**
     * Models DashScope serves only as a stream: QwQ and QVQ (reasoning), the Omni models and the thinking-only
     * Qwen3 snapshots ({@code qwen3-235b-a22b-thinking-2507}).
     *
     * @param model the upstream model name
     * @return whether a non-streamed request must be streamed upstream
     */
    static boolean streamOnly(String model) {
        String m = lower(model);
        return m.startsWith("qwq") || m.startsWith("qvq") || m.contains("omni") || m.contains("-thinking");
    }

    /**
     * Qwen3 models (the {@code qwen3-*} names and the commercial {@code qwen-plus}, {@code qwen-turbo} and
     * {@code qwen-flash} families built on Qwen3) reject a non-streamed call unless thinking is off; for those
     * that do not think by default {@code enable_thinking:false} changes nothing.
     *
     * @param model the upstream model name
     * @return whether a non-streamed call without {@code enable_thinking} gets {@code enable_thinking:false}
     */
    static boolean needsThinkingOffWithoutStream(String model) {
        String m = lower(model);
        if (streamOnly(m)) {
            return false;
        }
        return m.startsWith("qwen3") || m.startsWith("qwen-plus") || m.startsWith("qwen-turbo")
                || m.startsWith("qwen-flash");
    }

    /**
     * Models served by the multimodal generation service rather than text generation.
     *
     * @param model the upstream model name
     * @return whether native chat goes to {@code multimodal-generation}
     */
    static boolean multimodal(String model) {
        String m = lower(model);
        return m.contains("-vl") || m.startsWith("qvq") || m.contains("omni") || m.contains("-audio");
    }

    private static String lower(String model) {
        return model == null ? "" : model.toLowerCase(Locale.ROOT);
    }
}
