package dev.switchboard.core.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Cost arithmetic: integer micro-units, rounded up once, after the group multiplier. */
class CostsTest {

    /** gpt-4o-mini's list price: $0.15 / $0.60 per 1M, cached $0.075. */
    static final PriceRecord MINI = new PriceRecord("gpt-4o-mini", 150_000, 600_000, 75_000, 0, 0);

    static long cost(PriceRecord p, String multiplier, long prompt, long cached, long completion) {
        return Costs.of(p, new BigDecimal(multiplier), new Costs.Quantities(prompt, cached, completion, 0, 1));
    }

    @Test
    void tokensAreBilledPerMillion() {
        assertEquals(450, cost(MINI, "1", 1000, 0, 500), "1000 x 0.15 + 500 x 0.60");
        assertEquals(150_000 + 600_000, cost(MINI, "1", 1_000_000, 0, 1_000_000));
    }

    @Test
    void theMultiplierAppliesBeforeRounding() {
        assertEquals(360, cost(MINI, "0.8", 1000, 0, 500));
        assertEquals(1, cost(MINI, "0.8", 1, 0, 0), "0.15 x 0.8 = 0.12 rounds up to 1");
        assertEquals(1, cost(MINI, "1.5", 3, 0, 0), "0.45 x 1.5 = 0.675 rounds up to 1, not 2");
        assertEquals(2, cost(MINI, "1.5", 5, 0, 0), "0.75 x 1.5 = 1.125 rounds up to 2");
        assertEquals(0, cost(MINI, "0", 1000, 0, 500), "a free group");
    }

    @Test
    void costsRoundUpToTheNextMicroUnit() {
        assertEquals(1, cost(MINI, "1", 1, 0, 0), "0.15 micro-units is billed 1");
        assertEquals(1, cost(MINI, "1", 6, 0, 0), "0.9");
        assertEquals(2, cost(MINI, "1", 7, 0, 0), "1.05");
        assertEquals(0, cost(MINI, "1", 0, 0, 0));
    }

    @Test
    void cachedInputHasItsOwnPriceOrTheInputPrice() {
        assertEquals(75 + 150, cost(MINI, "1", 2000, 1000, 0), "1000 uncached at 0.15, 1000 cached at 0.075");
        PriceRecord noCachePrice = new PriceRecord("m", 150_000, 600_000, 0, 0, 0);
        assertEquals(300, cost(noCachePrice, "1", 2000, 1000, 0), "no cached price: the input price");
        assertEquals(75, cost(MINI, "1", 1000, 5000, 0), "cached tokens never exceed the prompt: 1000 at 0.075");
    }

    @Test
    void perRequestAndPerImagePricesAdd() {
        PriceRecord dalle = new PriceRecord("dall-e-3", 0, 0, 0, 0, 40_000);
        assertEquals(80_000, Costs.of(dalle, BigDecimal.ONE, new Costs.Quantities(0, 0, 0, 2, 1)));
        PriceRecord rerank = new PriceRecord("rerank", 0, 0, 0, 1_000, 0);
        assertEquals(800, Costs.of(rerank, new BigDecimal("0.8"), new Costs.Quantities(10, 0, 0, 0, 1)));
        assertEquals(0, Costs.of(rerank, BigDecimal.ONE, new Costs.Quantities(10, 0, 0, 0, 0)), "refunded");
    }

    @Test
    void anUnpricedModelCostsNothing() {
        assertEquals(0, Costs.of(null, BigDecimal.ONE, new Costs.Quantities(1000, 0, 1000, 1, 1)));
    }

    @Test
    void largeCountsDoNotOverflow() {
        PriceRecord dear = new PriceRecord("o1-pro", 150_000_000, 600_000_000, 0, 0, 0);
        assertEquals(150_000_000L * 1000 + 600_000_000L * 1000,
                cost(dear, "1", 1_000_000_000L, 0, 1_000_000_000L));
    }

    /** The fast path in longs gives exactly what the decimals give, and overflow falls back to them. */
    @Test
    void longArithmeticMatchesTheExactDecimals() {
        java.util.Random random = new java.util.Random(42);
        String[] multipliers = {"1", "0", "0.8", "1.5", "0.333333", "2.25", "1.000000000001", "100", "0.5000",
            "1E+2", "12345678901234567890.5"};
        long[] big = {0, 1, 7, 999_999, 1_000_000, Long.MAX_VALUE / 3, Long.MAX_VALUE};
        for (int i = 0; i < 20_000; i++) {
            PriceRecord price = new PriceRecord("m", pick(random, big), pick(random, big), pick(random, big),
                    pick(random, big), pick(random, big));
            Costs.Quantities q = new Costs.Quantities(pick(random, big), pick(random, big), pick(random, big),
                    random.nextInt(5) - 1, random.nextInt(3) - 1);
            BigDecimal m = new BigDecimal(multipliers[random.nextInt(multipliers.length)]);
            long cached = Math.min(Math.max(0, q.cachedTokens()), Math.max(0, q.promptTokens()));
            long cachedPrice = price.cachedInputPerMtok() > 0 ? price.cachedInputPerMtok() : price.inputPerMtok();
            Long exact;
            try {
                exact = Costs.inDecimals(price, m, q, Math.max(0, q.promptTokens()) - cached, cached, cachedPrice);
            } catch (ArithmeticException tooLarge) {
                exact = null;
            }
            Long fast;
            try {
                fast = Costs.of(price, m, q);
            } catch (ArithmeticException tooLarge) {
                fast = null;
            }
            assertEquals(exact, fast, price + " " + m + " " + q);
        }
    }

    private static long pick(java.util.Random random, long[] big) {
        return random.nextInt(4) == 0 ? big[random.nextInt(big.length)] : random.nextInt(2_000_000);
    }
}
