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
 * (they are small; configuration, not usage), and a token or user whose record another node saved takes its quota
 * from it, as an admin's change on this node would.
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
                List<TokenRecord> all = store.tokens();
                r.tokens().reload(all);
                for (String key : keys) {
                    long id = Long.parseLong(key);
                    all.stream().filter(t -> t.id() == id).findFirst()
                            .ifPresentOrElse(r.ledger()::quotaChanged, () -> r.ledger().forget(id));
                }
            }
            case "users" -> {
                List<UserRecord> all = store.users();
                r.users().reload(all);
                all.stream().filter(u -> keys.contains(Long.toString(u.id()))).forEach(r.ledger()::quotaChanged);
            }
            case "prices" -> r.prices().reload(store.prices());
            case "groups" -> r.groups().reload(store.groups());
            case "meta" -> r.settings().reload();
            default -> {
                // A table this version does not keep in memory.
            }
        }
    }
}
