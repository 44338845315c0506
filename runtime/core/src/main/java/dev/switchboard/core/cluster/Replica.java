package dev.switchboard.core.cluster;

import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.pricing.Groups;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.quota.Ledger;
import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Users;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings this node's in-memory registries in step with what other nodes committed: a changed table is read again
 * (they are small; configuration, not usage). A token's or user's quota is a pool in the database that nodes lease
 * slices from: a configuration change leaves it be, and a pool another node's admin set ({@code token_quota},
 * {@code user_quota}) makes this node drop its slice of the old one.
 */
public final class Replica {

    /**
     * The registries kept in step.
     *
     * @param channels channels
     * @param tokens tokens
     * @param users users
     * @param prices prices
     * @param groups group multipliers
     * @param settings run-time settings
     * @param ledger the live balances
     */
    public record Registries(Channels channels, Tokens tokens, Users users, Prices prices, Groups groups,
            RuntimeSettings settings, Ledger ledger) {
    }

    private final Store store;
    private final Registries r;

    /** @param store the shared store @param registries what is kept in step */
    public Replica(Store store, Registries registries) {
        this.store = store;
        this.r = registries;
    }

    /** @param changed table to the keys other nodes changed in it */
    public void changed(Map<String, Set<String>> changed) {
        changed.forEach(this::reload);
    }

    /** Reads every table again (the safety net under lost notifications). */
    public void resync() {
        r.channels().reload(store.channels());
        r.tokens().reload(store.tokens());
        r.users().reload(store.users());
        r.prices().reload(store.prices());
        r.groups().reload(store.groups());
        r.settings().reload();
    }

    private void reload(String table, Set<String> keys) {
        switch (table) {
            case "channels" -> r.channels().reload(store.channels());
            case "tokens" -> {
                // A configuration change: the unlimited flag may have moved; the pool did not.
                Map<Long, TokenRecord> all = byId(store.tokens(), TokenRecord::id);
                r.tokens().reload(List.copyOf(all.values()));
                ids(keys).forEach(id -> {
                    TokenRecord t = all.get(id);
                    if (t == null) {
                        r.ledger().forget(id);
                    } else {
                        r.ledger().unlimitedChanged(t);
                    }
                });
            }
            case "token_quota" -> {
                Map<Long, TokenRecord> all = byId(store.tokens(), TokenRecord::id);
                r.tokens().reload(List.copyOf(all.values()));
                ids(keys).map(all::get).filter(java.util.Objects::nonNull).forEach(r.ledger()::poolSet);
            }
            case "users" -> {
                Map<Long, UserRecord> all = byId(store.users(), UserRecord::id);
                r.users().reload(List.copyOf(all.values()));
                ids(keys).map(all::get).filter(java.util.Objects::nonNull).forEach(r.ledger()::unlimitedChanged);
            }
            case "user_quota" -> {
                Map<Long, UserRecord> all = byId(store.users(), UserRecord::id);
                r.users().reload(List.copyOf(all.values()));
                ids(keys).map(all::get).filter(java.util.Objects::nonNull).forEach(r.ledger()::poolSet);
            }
            case "prices" -> r.prices().reload(store.prices());
            case "groups" -> r.groups().reload(store.groups());
            case "meta" -> r.settings().reload();
            default -> {
                // A table this version does not keep in memory.
            }
        }
    }

    private static java.util.stream.Stream<Long> ids(Set<String> keys) {
        return keys.stream().map(Long::parseLong);
    }

    private static <T> Map<Long, T> byId(List<T> records, java.util.function.ToLongFunction<T> id) {
        Map<Long, T> out = new java.util.LinkedHashMap<>();
        records.forEach(t -> out.put(id.applyAsLong(t), t));
        return out;
    }
}
