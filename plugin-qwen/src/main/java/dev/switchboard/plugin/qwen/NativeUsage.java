package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Usage;

/**
 * DashScope's native {@code usage} ({@code input_tokens}, {@code output_tokens}, {@code total_tokens}, optional
 * {@code prompt_tokens_details.cached_tokens} and {@code output_tokens_details.reasoning_tokens}) in OpenAI's terms.
 * Services that count one number only (embeddings, rerank) give {@code total_tokens}, billed as prompt tokens.
 */
final class NativeUsage {

    private NativeUsage() {
    }

    /**
     * @param usage the native usage node, possibly missing
     * @return the usage to bill, {@link Usage#NONE} when there is none
     */
    static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        if (input == 0 && output == 0) {
            input = usage.path("total_tokens").asLong(0);
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new Usage(input, output, cached);
    }

    /**
     * @param usage the native usage node
     * @param mapper the plugin's mapper
     * @return OpenAI's {@code usage} object
     */
    static ObjectNode toOpenAi(JsonNode usage, ObjectMapper mapper) {
        Usage u = read(usage);
        ObjectNode out = mapper.createObjectNode();
        out.put("prompt_tokens", u.promptTokens());
        out.put("completion_tokens", u.completionTokens());
        out.put("total_tokens", u.totalTokens());
        if (u.cachedPromptTokens() > 0) {
            out.putObject("prompt_tokens_details").put("cached_tokens", u.cachedPromptTokens());
        }
        long reasoning = usage == null ? 0 : usage.path("output_tokens_details").path("reasoning_tokens").asLong(0);
        if (reasoning > 0) {
            out.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
        }
        return out;
    }
}
