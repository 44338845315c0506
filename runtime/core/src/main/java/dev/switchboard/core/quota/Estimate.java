package dev.switchboard.core.quota;

/**
 * What a request is expected to use before it is sent.
 *
 * @param promptTokens input tokens counted in the request (characters for speech)
 * @param completionTokens output tokens it may produce ({@code max_tokens}, or the default)
 * @param images images it asks for
 */
public record Estimate(long promptTokens, long completionTokens, long images) {
}
