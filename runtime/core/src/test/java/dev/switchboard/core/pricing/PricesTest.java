package dev.switchboard.core.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped table, seeding once, lookups by dated names, edits, groups. */
class PricesTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultTableCoversEveryFirstPartyVendor() {
        Set<String> models = Prices.defaults().stream().map(PriceRecord::model).collect(Collectors.toSet());
        for (String m : List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "ernie-4.0-8k", "ernie-speed-8k",
                "qwen-max", "qwen-plus", "qwen-turbo", "deepseek-ai/deepseek-v3", "baai/bge-m3")) {
            assertTrue(models.contains(m), m);
        }
        PriceRecord gpt4o = Prices.defaults().stream().filter(p -> p.model().equals("gpt-4o")).findFirst()
                .orElseThrow();
        assertEquals(new PriceRecord("gpt-4o", 2_500_000, 10_000_000, 1_250_000, 0, 0), gpt4o, "$2.50 / $10 per 1M");
        for (PriceRecord p : Prices.defaults()) {
            assertEquals(p.model().toLowerCase(java.util.Locale.ROOT), p.model());
            assertTrue(p.inputPerMtok() >= 0 && p.outputPerMtok() >= 0 && p.perImage() >= 0, p.toString());
        }
    }

    @Test
    void theTableIsSeededOnceThenTheOperatorsOwn() {
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            Prices prices = new Prices(store);
            assertEquals(Prices.defaults().size(), prices.list().size());
            assertTrue(prices.delete("gpt-4o"));
        }
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            Prices prices = new Prices(store);
            assertTrue(prices.find("gpt-4o").isEmpty(), "a deleted default stays deleted");
            assertEquals(Prices.defaults().size() - 1, prices.list().size());
        }
    }

    @Test
    void datedAndCasedNamesFindTheirPrice() {
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            Prices prices = new Prices(store);
            assertEquals("gpt-4o", prices.find("gpt-4o-2024-11-20").orElseThrow().model());
            assertEquals("gpt-4o-mini", prices.find("gpt-4o-mini-2024-07-18").orElseThrow().model());
            assertEquals("ernie-4.0-8k", prices.find("ERNIE-4.0-8K").orElseThrow().model());
            assertEquals("deepseek-ai/deepseek-v3", prices.find("deepseek-ai/DeepSeek-V3").orElseThrow().model());
            assertTrue(prices.find("my-own-model").isEmpty());
            assertFalse(prices.find("gpt-4oo").isPresent(), "only a whole prefix followed by '-'");
        }
    }

    @Test
    void editsKeepFieldsNotGivenAndRefuseNegativeAmounts() {
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            Prices prices = new Prices(store);
            PriceRecord p = prices.put("Custom-Model", Json.object().put("input_per_mtok", 1_000_000));
            assertEquals(new PriceRecord("custom-model", 1_000_000, 0, 0, 0, 0), p);
            p = prices.put("custom-model", Json.object().put("output_per_mtok", 2_000_000));
            assertEquals(new PriceRecord("custom-model", 1_000_000, 2_000_000, 0, 0, 0), p);
            assertThrows(BadInput.class, () -> prices.put("x", Json.object().put("per_request", -1)));
            assertThrows(BadInput.class, () -> prices.put("x", Json.object().put("price", 1)));
        }
    }

    @Test
    void groupsHaveMultipliersAndDefaultToOne() {
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            Groups groups = new Groups(store);
            assertEquals(BigDecimal.ONE, groups.multiplier("vip"));
            assertEquals(BigDecimal.ONE, groups.multiplier(null));
            groups.put("vip", new BigDecimal("0.80"));
            assertEquals(0, new BigDecimal("0.8").compareTo(groups.multiplier("vip")));
            assertThrows(BadInput.class, () -> groups.put("vip", new BigDecimal("-1")));
            assertThrows(BadInput.class, () -> groups.put("bad name", BigDecimal.ONE));
            assertEquals(List.of("default", "vip"), groups.list().stream().map(g -> g.name()).toList());
        }
        try (MapDbStore store = new MapDbStore(dir.resolve("s.db"))) {
            assertEquals(0, new BigDecimal("0.8").compareTo(new Groups(store).multiplier("vip")), "kept");
        }
    }
}
