package dev.switchboard.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Copies every record of one store into another, ids kept: a backup of the PostgreSQL store into a MapDB file,
 * and {@code switchboard migrate} from an embedded store into PostgreSQL.
 */
public final class StoreCopy {

    private static final int LOGS_PER_BATCH = 1000;

    /** What a copy reads: a store, or one consistent snapshot of one. */
    public interface Source {
        /** @return every channel */
        List<ChannelRecord> channels();

        /** @return every token */
        List<TokenRecord> tokens();

        /** @return every user */
        List<UserRecord> users();

        /** @return every price */
        List<PriceRecord> prices();

        /** @return every group */
        List<GroupRecord> groups();

        /** @return every meta value */
        Map<String, String> allMeta();

        /**
         * @param fromId the least id
         * @param toId the end, exclusive
         * @param newestFirst the order
         * @param visitor called per entry, false stops
         */
        void scanLogs(long fromId, long toId, boolean newestFirst, Predicate<LogRecord> visitor);
    }

    /** What was copied. @param channels channels @param tokens tokens @param users users @param logs log entries */
    public record Counts(int channels, int tokens, int users, long logs) {
    }

    private StoreCopy() {
    }

    /**
     * @param from the source
     * @param to the target (ideally empty: records with the same ids are replaced)
     * @return what was copied, once every write is committed
     */
    public static Counts copy(Source from, Store to) {
        List<CompletionStage<?>> writes = new ArrayList<>();
        List<ChannelRecord> channels = from.channels();
        List<TokenRecord> tokens = from.tokens();
        List<UserRecord> users = from.users();
        channels.forEach(c -> writes.add(to.saveChannel(c)));
        tokens.forEach(t -> writes.add(to.saveToken(t)));
        users.forEach(u -> writes.add(to.saveUser(u)));
        from.prices().forEach(p -> writes.add(to.savePrice(p)));
        from.groups().forEach(g -> writes.add(to.saveGroup(g)));
        // The target's own schema version stays: each store records the format it writes.
        from.allMeta().forEach((k, v) -> {
            if (!k.equals("schema_version")) {
                writes.add(to.putMeta(k, v));
            }
        });
        List<LogRecord> page = new ArrayList<>();
        long[] logs = {0};
        from.scanLogs(0, Long.MAX_VALUE, false, entry -> {
            page.add(entry);
            logs[0]++;
            if (page.size() == LOGS_PER_BATCH) {
                writes.add(to.writeUsage(logsOnly(page)));
                page.clear();
            }
            return true;
        });
        if (!page.isEmpty()) {
            writes.add(to.writeUsage(logsOnly(page)));
        }
        CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).join();
        return new Counts(channels.size(), tokens.size(), users.size(), logs[0]);
    }

    private static UsageBatch logsOnly(List<LogRecord> entries) {
        return new UsageBatch(Map.of(), Map.of(), Map.of(), EncodedLog.all(entries));
    }
}
