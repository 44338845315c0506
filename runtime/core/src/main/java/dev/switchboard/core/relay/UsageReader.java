package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Usage;

/** Reads OpenAI's {@code usage} object, wherever it comes from. */
final class UsageReader {

    private UsageReader() {
    }

    /**
     * @param usage a {@code usage} node, possibly missing
     * @return the usage, or {@code null} when the node holds none
     */
    static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
        long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (prompt == 0 && completion == 0) {
            long total = usage.path("total_tokens").asLong(0);
            if (total == 0) {
                return null;
            }
            prompt = total;
        }
        return new Usage(prompt, completion, cached);
    }
}
