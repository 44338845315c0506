package dev.switchboard.core.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.GroupRecord;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Group price multipliers (e.g. {@code vip} = 0.8), in memory, written through to the store. Unknown: 1. */
public final class Groups {

    /** The group of users and tokens that name none. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final BigDecimal MAX = BigDecimal.valueOf(1000);

    private final Store store;
    private final Map<String, BigDecimal> multipliers = new ConcurrentHashMap<>();

    /** @param store the store to load from and write to */
    public Groups(Store store) {
        this.store = store;
        store.groups().forEach(g -> multipliers.put(g.name(), g.multiplier()));
    }

    /** @param stored every stored group, as another node left them */
    public synchronized void reload(List<GroupRecord> stored) {
        Map<String, BigDecimal> now = new java.util.HashMap<>();
        stored.forEach(g -> now.put(g.name(), g.multiplier()));
        multipliers.keySet().retainAll(now.keySet());
        multipliers.putAll(now);
    }

    /** @param group a group name, or {@code null} @return its multiplier (1 when it has none) */
    public BigDecimal multiplier(String group) {
        return multipliers.getOrDefault(group == null ? DEFAULT : group, BigDecimal.ONE);
    }

    /** @return every group with its multiplier, {@code default} included */
    public List<GroupRecord> list() {
        Map<String, BigDecimal> all = new java.util.HashMap<>(multipliers);
        all.putIfAbsent(DEFAULT, BigDecimal.ONE);
        return all.entrySet().stream().map(e -> new GroupRecord(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(GroupRecord::name)).toList();
    }

    /**
     * @param name the group
     * @param multiplier 0 to 1000
     * @return the stored group
     */
    public synchronized GroupRecord put(String name, BigDecimal multiplier) {
        if (!NAME.matcher(name).matches()) {
            throw BadInput.invalid("name", "a group name is 1 to 64 letters, digits or . _ -");
        }
        if (multiplier == null || multiplier.signum() < 0 || multiplier.compareTo(MAX) > 0) {
            throw BadInput.invalid("multiplier", "multiplier must be a number from 0 to 1000, e.g. 0.8");
        }
        GroupRecord g = new GroupRecord(name, multiplier.stripTrailingZeros());
        try {
            store.saveGroup(g).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
        }
        multipliers.put(name, g.multiplier());
        return g;
    }

    /** @param g a group @return its answer object */
    public static ObjectNode json(GroupRecord g) {
        ObjectNode o = Json.object();
        o.put("name", g.name());
        o.put("multiplier", g.multiplier());
        return o;
    }
}
