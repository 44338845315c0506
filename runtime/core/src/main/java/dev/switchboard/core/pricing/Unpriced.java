package dev.switchboard.core.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.Store;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Models seen in traffic without a price: how often and when last. Kept in memory, saved in the store's meta
 * ({@value #META}) by the accounting's write-behind. A model that gets a price drops out of the list.
 */
public final class Unpriced {

    static final String META = "unpriced_models";

    private final Store store;
    private final Prices prices;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();

    /** @param model the name @param requests requests served without a price @param lastSeenAt unix seconds */
    public record Seen(String model, long requests, long lastSeenAt) {
    }

    /** @param store where the list is kept @param prices the price table */
    public Unpriced(Store store, Prices prices) {
        this.store = store;
        this.prices = prices;
        store.meta(META).ifPresent(text -> {
            try {
                for (JsonNode n : Json.MAPPER.readTree(text)) {
                    Seen s = new Seen(n.path("model").asText(), n.path("requests").asLong(),
                            n.path("last_seen_at").asLong());
                    seen.put(s.model(), s);
                }
            } catch (IOException e) {
                // A damaged list is rebuilt from traffic.
            }
        });
    }

    /** @param model a model served without a price @param now unix seconds */
    public void saw(String model, long now) {
        seen.merge(model, new Seen(model, 1, now), (a, b) -> new Seen(model, a.requests() + 1, now));
        dirty.set(true);
    }

    /** @return the models still without a price, most recent first */
    public List<Seen> list() {
        return seen.values().stream().filter(s -> prices.find(s.model()).isEmpty())
                .sorted(Comparator.comparingLong(Seen::lastSeenAt).reversed()).toList();
    }

    /** Saves the list when it changed (write-behind, from the accounting's thread). */
    public void save() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Seen s : seen.values()) {
            ObjectNode o = a.addObject();
            o.put("model", s.model());
            o.put("requests", s.requests());
            o.put("last_seen_at", s.lastSeenAt());
        }
        store.putMeta(META, a.toString());
    }

    /** @param s an entry @return its answer object */
    public static ObjectNode json(Seen s) {
        ObjectNode o = Json.object();
        o.put("model", s.model());
        o.put("requests", s.requests());
        o.put("last_seen_at", s.lastSeenAt());
        return o;
    }
}
