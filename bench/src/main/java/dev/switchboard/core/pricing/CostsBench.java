package dev.switchboard.core.pricing;

import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Pricing one request (done twice per request: the estimate and the settlement), in longs and in decimals. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CostsBench {

    private final PriceRecord price = new PriceRecord("gpt-4o-mini", 150_000, 600_000, 75_000, 0, 0);
    private final BigDecimal multiplier = new BigDecimal("0.8");
    private final Costs.Quantities quantities = new Costs.Quantities(1_234, 200, 567, 0, 1);

    /** What the gateway does: longs, the decimals only on overflow. */
    @Benchmark
    public long inLongs() {
        return Costs.of(price, multiplier, quantities);
    }

    /** What it did before: exact decimals every time. */
    @Benchmark
    public long inDecimals() {
        return Costs.inDecimals(price, multiplier, quantities, 1_034, 200, 75_000);
    }
}
