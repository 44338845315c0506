package dev.switchboard.core.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.PriceRecord;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The price table, in memory by model name (lower case), written through to the store. The first start seeds it
 * from the shipped default table ({@code default-prices.json}); after that it is the operator's. A dated or
 * suffixed model name ({@code gpt-4o-2024-11-20}) takes the price of its longest priced prefix ({@code gpt-4o}).
 */
public final class Prices {

    static final String SEEDED = "prices_seeded";
    private static final Set<String> FIELDS = Set.of("model", "input_per_mtok", "output_per_mtok",
            "cached_input_per_mtok", "per_request", "per_image");

    private final Store store;
    private final Map<String, PriceRecord> byModel = new ConcurrentHashMap<>();

    /** @param store the store to load from (seeding it once) and write to */
    public Prices(Store store) {
        this.store = store;
        if (store.meta(SEEDED).isEmpty()) {
            // Queued together, committed as one group; the flag last, so a crash half-way seeds again.
            List<java.util.concurrent.CompletionStage<PriceRecord>> saved = new ArrayList<>();
            for (PriceRecord p : defaults()) {
                saved.add(store.savePrice(p));
            }
            saved.forEach(Prices::join);
            join(store.putMeta(SEEDED, "true"));
        }
        store.prices().forEach(p -> byModel.put(p.model(), p));
    }

    /** @param stored every stored price, as another node left them */
    public synchronized void reload(List<PriceRecord> stored) {
        Map<String, PriceRecord> now = new java.util.HashMap<>();
        stored.forEach(p -> now.put(p.model(), p));
        byModel.keySet().retainAll(now.keySet());
        byModel.putAll(now);
    }

    /** @return the shipped default table */
    public static List<PriceRecord> defaults() {
        try (InputStream in = Prices.class.getResourceAsStream("default-prices.json")) {
            if (in == null) {
                throw new IllegalStateException("default-prices.json is missing from the core bundle");
            }
            List<PriceRecord> out = new ArrayList<>();
            for (JsonNode p : Json.MAPPER.readTree(in).path("prices")) {
                out.add(Json.RECORDS.treeToValue(p, PriceRecord.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param model a model name as requested
     * @return its price: the exact name, else the longest priced prefix followed by {@code -}
     */
    public Optional<PriceRecord> find(String model) {
        if (model == null) {
            return Optional.empty();
        }
        String m = model.toLowerCase(Locale.ROOT);
        PriceRecord exact = byModel.get(m);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int i = m.lastIndexOf('-'); i > 0; i = m.lastIndexOf('-', i - 1)) {
            PriceRecord p = byModel.get(m.substring(0, i));
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return every price, by model */
    public List<PriceRecord> list() {
        return byModel.values().stream().sorted(Comparator.comparing(PriceRecord::model)).toList();
    }

    /**
     * Sets a model's price; fields not given keep their value (or 0 for a new model).
     *
     * @param model the model
     * @param input the fields
     * @return the stored price
     */
    public synchronized PriceRecord put(String model, JsonNode input) {
        Fields f = Fields.of(input);
        f.rejectUnknown(FIELDS);
        String m = model.trim().toLowerCase(Locale.ROOT);
        if (m.isEmpty() || m.length() > 200) {
            throw BadInput.invalid("model", "model must be a model name");
        }
        PriceRecord old = byModel.get(m);
        PriceRecord p = new PriceRecord(m, amount(f, "input_per_mtok", old == null ? 0 : old.inputPerMtok()),
                amount(f, "output_per_mtok", old == null ? 0 : old.outputPerMtok()),
                amount(f, "cached_input_per_mtok", old == null ? 0 : old.cachedInputPerMtok()),
                amount(f, "per_request", old == null ? 0 : old.perRequest()),
                amount(f, "per_image", old == null ? 0 : old.perImage()));
        join(store.savePrice(p));
        byModel.put(m, p);
        return p;
    }

    /** @param model a model @return whether it had a price */
    public synchronized boolean delete(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        boolean existed = join(store.deletePrice(m));
        byModel.remove(m);
        return existed;
    }

    /** @param p a price @return its answer object */
    public static ObjectNode json(PriceRecord p) {
        return (ObjectNode) Json.RECORDS.valueToTree(p);
    }

    private static long amount(Fields f, String name, long fallback) {
        long v = f.integer(name, fallback);
        if (v < 0) {
            throw BadInput.invalid(name, name + " must be 0 or more (integer micro-units, 1 USD = 1,000,000)");
        }
        return v;
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
        }
    }
}
