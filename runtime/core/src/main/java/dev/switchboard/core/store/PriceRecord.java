package dev.switchboard.core.store;

/**
 * The price of one model, all in micro-units of the currency (1 USD = 1,000,000).
 *
 * @param model the model name (lower case)
 * @param inputPerMtok per 1M input (prompt) tokens
 * @param outputPerMtok per 1M output (completion) tokens
 * @param cachedInputPerMtok per 1M cached input tokens
 * @param perRequest per request
 * @param perImage per generated image
 */
public record PriceRecord(String model, long inputPerMtok, long outputPerMtok, long cachedInputPerMtok,
        long perRequest, long perImage) {
}
