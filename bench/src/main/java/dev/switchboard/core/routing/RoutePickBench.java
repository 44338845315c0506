package dev.switchboard.core.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.plugin.qwen.QwenAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing's pick for one request: the group's channels that serve the model, breakers asked, a weighted order in
 * each priority tier. Twenty channels in two tiers, one of them matching by pattern.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutePickBench {

    private MapDbStore store;
    private PriorityRouter router;
    private Path dir;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bench-routing");
        store = new MapDbStore(dir.resolve("bench.db"));
        for (int i = 1; i <= 20; i++) {
            List<String> models = i == 20 ? List.of("qwen-*") : List.of("qwen-plus", "qwen-max", "model-" + i);
            store.saveChannel(new ChannelRecord(i, "channel " + i, "qwen", "", "sk-...", null, models, Map.of(),
                    List.of("default"), i % 2 == 0 ? 10 : 0, 1 + i % 3, ChannelRecord.ENABLED, null,
                    JsonNodeFactory.instance.objectNode(), null, 0, null, null, null, 0, 0)).toCompletableFuture()
                    .join();
        }
        AdapterRegistry adapters = new AdapterRegistry();
        adapters.add(new InstalledAdapter(new QwenAdapter(), 1, 0, 1, "dev.switchboard.plugin.qwen", "1.0.0"));
        Channels channels = new Channels(store, SecretBox.open(Optional.of("a passphrase for the benchmark only"),
                dir.resolve("secret.key")), adapters);
        router = new PriorityRouter(channels, adapters, Breakers.off());
    }

    @TearDown
    public void tearDown() {
        store.close();
        dev.switchboard.bench.TempDirs.delete(dir);
    }

    @Benchmark
    public List<Candidate> route() {
        return router.route("default", "qwen-plus", Operation.CHAT, null);
    }
}
