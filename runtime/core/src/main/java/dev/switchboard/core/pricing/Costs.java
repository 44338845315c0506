package dev.switchboard.core.pricing;

import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Cost arithmetic in exact decimals, rounded up to the next micro-unit once, after the group multiplier (so no
 * request is ever billed less than its price says, and nothing is lost to intermediate rounding). Cached input
 * tokens are billed at {@code cached_input_per_mtok}, or at the input price when that is 0.
 */
public final class Costs {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private Costs() {
    }

    /**
     * What a request costs.
     *
     * @param price the model's price, or {@code null} for an unpriced model (cost 0)
     * @param multiplier the group's multiplier
     * @param quantities the tokens, images and requests to bill
     * @return micro-units, rounded up
     */
    public static long of(PriceRecord price, BigDecimal multiplier, Quantities quantities) {
        if (price == null) {
            return 0;
        }
        long cached = Math.min(Math.max(0, quantities.cachedTokens()), Math.max(0, quantities.promptTokens()));
        long uncached = Math.max(0, quantities.promptTokens()) - cached;
        long cachedPrice = price.cachedInputPerMtok() > 0 ? price.cachedInputPerMtok() : price.inputPerMtok();
        BigInteger perMillion = BigInteger.valueOf(uncached).multiply(BigInteger.valueOf(price.inputPerMtok()))
                .add(BigInteger.valueOf(cached).multiply(BigInteger.valueOf(cachedPrice)))
                .add(BigInteger.valueOf(Math.max(0, quantities.completionTokens()))
                        .multiply(BigInteger.valueOf(price.outputPerMtok())));
        BigDecimal exact = new BigDecimal(perMillion).divide(MILLION)
                .add(BigDecimal.valueOf(quantities.images()).multiply(BigDecimal.valueOf(price.perImage())))
                .add(BigDecimal.valueOf(quantities.requests()).multiply(BigDecimal.valueOf(price.perRequest())))
                .multiply(multiplier);
        return exact.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * What is billed.
     *
     * @param promptTokens input tokens (cached ones included)
     * @param cachedTokens of which served from the vendor's cache
     * @param completionTokens output tokens
     * @param images generated images
     * @param requests requests (1, or 0 for a refund)
     */
    public record Quantities(long promptTokens, long cachedTokens, long completionTokens, long images,
            long requests) {
    }
}
