package dev.switchboard.api.provider;

/**
 * Token usage of one request, as the upstream reported it (or as counted when it reported none).
 *
 * @param promptTokens input tokens
 * @param completionTokens output tokens
 * @param cachedPromptTokens input tokens served from the vendor's prompt cache (0 when unknown)
 */
public record Usage(long promptTokens, long completionTokens, long cachedPromptTokens) {

    /** No usage known. */
    public static final Usage NONE = new Usage(0, 0, 0);

    /**
     * @param promptTokens input tokens
     * @param completionTokens output tokens
     * @return the usage, with no cached tokens
     */
    public static Usage of(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, 0);
    }

    /** @return prompt plus completion tokens */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
