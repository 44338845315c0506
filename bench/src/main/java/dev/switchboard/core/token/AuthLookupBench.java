package dev.switchboard.core.token;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.core.store.MapDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The relay's token lookup: a presented key hashed and found among the tokens in memory. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthLookupBench {

    private MapDbStore store;
    private Tokens tokens;
    private String key;
    private Path dir;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bench-auth");
        store = new MapDbStore(dir.resolve("bench.db"));
        tokens = new Tokens(store);
        for (int i = 0; i < 1000; i++) {
            key = tokens.create(JsonNodeFactory.instance.objectNode().put("name", "bench-" + i), 1).key();
        }
    }

    @TearDown
    public void tearDown() {
        store.close();
        dev.switchboard.bench.TempDirs.delete(dir);
    }

    @Benchmark
    public Object byKey() {
        return tokens.byKey(key);
    }
}
