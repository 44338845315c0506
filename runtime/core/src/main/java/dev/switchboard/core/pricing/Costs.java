package dev.switchboard.core.pricing;

import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Cost arithmetic in exact decimals, rounded up to the next micro-unit once, after the group multiplier (so no
 * request is ever billed less than its price says, and nothing is lost to intermediate rounding). Cached input
 * tokens are billed at {@code cached_input_per_mtok}, or at the input price when that is 0.
 *
 * <p>Every request is priced twice (the estimate before dispatch, the settlement after), so the same exact sum
 * is done in {@code long} arithmetic when nothing overflows (always, for real prices and token counts):
 * {@link BigDecimal} division cost several per cent of the gateway's CPU per request. An overflow falls back to
 * the decimal path, which gives the same result.
 */
public final class Costs {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
        10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};

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
        int scale = multiplier.scale();
        if (scale >= 0 && scale < POWERS_OF_TEN.length && multiplier.precision() < 19) {
            try {
                return inLongs(price, multiplier.unscaledValue().longValue(), POWERS_OF_TEN[scale], quantities,
                        uncached, cached, cachedPrice);
            } catch (ArithmeticException overflow) {
                // The exact decimals below.
            }
        }
        return inDecimals(price, multiplier, quantities, uncached, cached, cachedPrice);
    }

    /** {@code ceil((tokens x price / 10^6 + images x per_image + requests x per_request) x m / d)}, exactly. */
    private static long inLongs(PriceRecord price, long m, long d, Quantities q, long uncached, long cached,
            long cachedPrice) {
        long perMillion = Math.addExact(Math.addExact(Math.multiplyExact(uncached, price.inputPerMtok()),
                Math.multiplyExact(cached, cachedPrice)),
                Math.multiplyExact(Math.max(0, q.completionTokens()), price.outputPerMtok()));
        long fixed = Math.addExact(Math.multiplyExact(q.images(), price.perImage()),
                Math.multiplyExact(q.requests(), price.perRequest()));
        long numerator = Math.multiplyExact(Math.addExact(perMillion, Math.multiplyExact(fixed, 1_000_000L)), m);
        // Rounded up (towards +infinity), as the decimals are: the negated floor of the negated quotient.
        long denominator = Math.multiplyExact(1_000_000L, d);
        return -Math.floorDiv(Math.negateExact(numerator), denominator);
    }

    static long inDecimals(PriceRecord price, BigDecimal multiplier, Quantities quantities, long uncached,
            long cached, long cachedPrice) {
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
