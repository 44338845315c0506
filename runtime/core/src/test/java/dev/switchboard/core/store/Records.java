package dev.switchboard.core.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Sample records with every field set, and a bounded wait for a store stage. */
final class Records {

    private Records() {
    }

    static ChannelRecord channel(String name) {
        ObjectNode config = Json.object().put("mode", "native");
        config.putObject("endpoints").put("ernie-4.0", "completions_pro");
        return new ChannelRecord(0, name, "qwen", "v1:cipher-of-" + name, "sk-ab...wxyz",
                "https://dashscope.example", List.of("qwen-max", "qwen-plus"), Map.of("qwen-max", "qwen-max-0919"),
                List.of("default", "vip"), 5, 3, ChannelRecord.AUTO_DISABLED, "balance exhausted", config,
                "http://proxy.example:3128", 420, new BigDecimal("12.5"), "CNY", 1_700_000_100L, 987_654,
                1_700_000_000L);
    }

    static TokenRecord token(String name) {
        return new TokenRecord(0, name, "ab".repeat(32), "sk-Ab...Yz12", "enabled", 1_900_000_000L, false, 5_000_000,
                1_234, List.of("gpt-4o"), List.of("10.0.0.0/8"), "vip", 60, 100_000, 4, 1, 1_700_000_000L);
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the store did not complete the write: " + e, e);
        }
    }
}
