package dev.switchboard.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store: PostgreSQL through a HikariCP pool, its schema created and migrated by Flyway at start-up
 * ({@code db/migration}). Same contract as {@link MapDbStore}: writes run one after another on one writer thread,
 * each in its own transaction, and a stage completes once its transaction is committed; every configuration change
 * also sends a {@link #CHANGES} notification in that transaction, so other nodes hear of it once it is visible.
 */
public final class PostgresStore implements Store, QuotaPool, RateWindows, RateBudget {

    /**
     * The {@code LISTEN/NOTIFY} channel a change is announced on, with {@code table:key@node} as payload: the node is
     * {@link #node()} of the store that made it, so a node can tell its own changes from others'.
     */
    public static final String CHANGES = "switchboard_changes";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    private final String node = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final PGSimpleDataSource direct;
    private final HikariDataSource pool;
    private final ExecutorService writer;
    private volatile boolean open = true;

    /**
     * Connects, migrates the schema to the newest version and refuses a schema written by a newer Switchboard.
     *
     * @param connection where the database is
     */
    public PostgresStore(PostgresConnection connection) {
        direct = dataSource(connection);
        pool = new HikariDataSource(poolConfig(direct));
        try {
            SchemaMigration.migrate(pool);
            int version = meta("schema_version").map(Integer::parseInt).orElse(0);
            if (version > SCHEMA_VERSION) {
                throw new StoreException("the database was written by a newer Switchboard (schema " + version
                        + ", this version knows " + SCHEMA_VERSION + "); upgrade Switchboard", null);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-store-writer");
            t.setDaemon(true);
            return t;
        });
    }

    private static PGSimpleDataSource dataSource(PostgresConnection c) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(c.url());
        if (c.user() != null) {
            ds.setUser(c.user());
        }
        if (c.password() != null) {
            ds.setPassword(c.password());
        }
        return ds;
    }

    private static HikariConfig poolConfig(PGSimpleDataSource ds) {
        HikariConfig config = new HikariConfig();
        // The driver's own data source, not DriverManager: in OSGi the driver is another bundle's class.
        config.setDataSource(ds);
        config.setPoolName("switchboard-store");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        // Fail start-up at once with the database's own words (wrong password, no such database).
        config.setInitializationFailTimeout(1);
        return config;
    }

    /** @return this store's name in change notifications, random per start */
    public String node() {
        return node;
    }

    /**
     * A connection of its own, outside the pool, for a listener that holds it open ({@code LISTEN} lasts as long as
     * its session).
     *
     * @return a new connection; the caller closes it
     * @throws SQLException when the database cannot be reached
     */
    public Connection listenerConnection() throws SQLException {
        return direct.getConnection();
    }

    @Override
    public List<ChannelRecord> channels() {
        return read(PostgresTables::channels);
    }


    @Override
    public List<TokenRecord> tokens() {
        return read(PostgresTables::tokens);
    }


    @Override
    public List<UserRecord> users() {
        return read(PostgresTables::users);
    }


    @Override
    public List<PriceRecord> prices() {
        return read(PostgresTables::prices);
    }

    @Override
    public List<GroupRecord> groups() {
        return read(PostgresTables::groups);
    }

    @Override
    public Optional<String> meta(String key) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Map<String, String> allMeta() {
        return read(PostgresTables::allMeta);
    }

    @Override
    public CompletionStage<ChannelRecord> saveChannel(ChannelRecord channel) {
        return saveNumbered("channels", channel.id(), channel, channel::withId, ChannelRecord::id,
                List.of("used_quota"), c -> new long[] {c.usedQuota()});
    }

    @Override
    public CompletionStage<Boolean> deleteChannel(long id) {
        return delete("channels", "id", id);
    }

    @Override
    public CompletionStage<TokenRecord> saveToken(TokenRecord token) {
        return saveNumbered("tokens", token.id(), token, token::withId, TokenRecord::id,
                List.of("remain_quota", "used_quota"), t -> new long[] {t.remainQuota(), t.usedQuota()});
    }

    @Override
    public CompletionStage<Boolean> deleteToken(long id) {
        return delete("tokens", "id", id);
    }

    @Override
    public CompletionStage<UserRecord> saveUser(UserRecord user) {
        return saveNumbered("users", user.id(), user, user::withId, UserRecord::id,
                List.of("quota", "used_quota", "request_count"),
                u -> new long[] {u.quota(), u.usedQuota(), u.requestCount()});
    }

    /**
     * A record kept by a numeric id (0: the table's sequence assigns one) with its balance columns beside its JSON.
     * A new record starts with its balances; an existing one gets its JSON replaced and keeps the balances in the
     * database, which only leases and usage deltas move (nodes spend from them concurrently, so a configuration
     * change such as a rename must never write back a balance it read earlier; {@link #setPool} sets a quota).
     */
    private <T extends Record> CompletionStage<T> saveNumbered(String table, long id, T record,
            java.util.function.LongFunction<T> withId, java.util.function.ToLongFunction<T> idOf,
            List<String> balanceColumns, java.util.function.Function<T, long[]> balances) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (id, body");
        balanceColumns.forEach(col -> sql.append(", ").append(col));
        sql.append(") VALUES (?, ?::jsonb").append(", ?".repeat(balanceColumns.size()))
                .append(") ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body");
        return write(c -> {
            T saved = id == 0 ? withId.apply(PostgresTables.nextId(c, table)) : record;
            long savedId = idOf.applyAsLong(saved);
            List<Object> params = new ArrayList<>(List.of(savedId, saved));
            for (long v : balances.apply(saved)) {
                params.add(v);
            }
            PostgresTables.upsert(c, sql.toString(), params.toArray());
            PostgresTables.raise(c, table, savedId);
            notifyChange(c, table, savedId);
            return saved;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteUser(long id) {
        return delete("users", "id", id);
    }

    @Override
    public CompletionStage<PriceRecord> savePrice(PriceRecord price) {
        return saveNamed("prices", "model", price.model(), price);
    }

    @Override
    public CompletionStage<Boolean> deletePrice(String model) {
        return delete("prices", "model", model);
    }

    @Override
    public CompletionStage<GroupRecord> saveGroup(GroupRecord group) {
        return saveNamed("groups", "name", group.name(), group);
    }

    /** A record kept by its name (prices, groups): replaced whole. */
    private <T extends Record> CompletionStage<T> saveNamed(String table, String keyColumn, String key, T record) {
        return write(c -> {
            PostgresTables.upsert(c, "INSERT INTO " + table + " (" + keyColumn + ", body) VALUES (?, ?::jsonb) ON CONFLICT ("
                    + keyColumn + ") DO UPDATE SET body = EXCLUDED.body", key, record);
            notifyChange(c, table, key);
            return record;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteGroup(String name) {
        return delete("groups", "name", name);
    }

    @Override
    public CompletionStage<Void> putMeta(String key, String value) {
        return write(c -> {
            PostgresTables.upsert(c, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                    + " SET value = EXCLUDED.value", key, value);
            notifyChange(c, "meta", key);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> writeUsage(UsageBatch batch) {
        if (batch.deltas()) {
            return write(c -> {
                PostgresTables.patch(c, "UPDATE tokens SET used_quota = used_quota + ? WHERE id = ?", batch.tokens(),
                        b -> new long[] {b.used()});
                PostgresTables.patch(c, "UPDATE users SET used_quota = used_quota + ?, request_count = request_count + ?"
                        + " WHERE id = ?", batch.users(), b -> new long[] {b.used(), b.requests()});
                PostgresTables.patch(c, "UPDATE channels SET used_quota = used_quota + ? WHERE id = ?",
                        batch.channelUsed(), used -> new long[] {used});
                PostgresTables.insertLogs(c, batch.logs());
                return null;
            });
        }
        return write(c -> {
            PostgresTables.patch(c, "UPDATE tokens SET remain_quota = ?, used_quota = ? WHERE id = ?", batch.tokens(),
                    b -> new long[] {b.remain(), b.used()});
            PostgresTables.patch(c, "UPDATE users SET quota = ?, used_quota = ?, request_count = ? WHERE id = ?", batch.users(),
                    b -> new long[] {b.quota(), b.used(), b.requests()});
            PostgresTables.patch(c, "UPDATE channels SET used_quota = ? WHERE id = ?", batch.channelUsed(), used -> new long[] {used});
            PostgresTables.insertLogs(c, batch.logs());
            return null;
        });
    }



    @Override
    public void scanLogs(long fromId, long toId, boolean newestFirst, Predicate<LogRecord> visitor) {
        if (fromId >= toId) {
            return;
        }
        read(c -> {
            PostgresTables.scanLogs(c, fromId, toId, newestFirst, visitor);
            return null;
        });
    }


    @Override
    public long lastLogId() {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM logs");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    @Override
    public CompletionStage<Integer> deleteLogsBefore(long beforeId, int max) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM logs WHERE id IN (SELECT id FROM logs"
                    + " WHERE id < ? ORDER BY id LIMIT ?)")) {
                s.setLong(1, beforeId);
                s.setInt(2, max);
                return s.executeUpdate();
            }
        });
    }

    /** A consistent copy in the embedded store's format: one repeatable-read snapshot, written to a MapDB file. */
    @Override
    public CompletionStage<Void> backup(Path target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(closed());
            return done;
        }
        CompletableFuture.runAsync(() -> {
            try (Connection c = pool.getConnection(); MapDbStore copy = new MapDbStore(target)) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                c.setAutoCommit(false);
                try {
                    StoreCopy.copy(new PostgresSnapshot(c), copy);
                } finally {
                    c.rollback();
                }
            } catch (SQLException | RuntimeException e) {
                done.completeExceptionally(new StoreException("the backup failed: " + e.getMessage(), e));
                return;
            }
            // Only once the copy is closed: then the file opens.
            done.complete(null);
        });
        return done;
    }

    /** Waits for the writes already queued, then closes the pool; later writes fail. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("store writes still running after 30 s; closing the pool under them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    // --- plumbing ---

    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }




    private <T> T read(Sql<T> query) {
        if (!open) {
            throw closed();
        }
        try (Connection c = pool.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreException("reading the database failed: " + e.getMessage(), e);
        }
    }

    private <T> CompletionStage<T> write(Sql<T> change) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(closed());
            return result;
        }
        try {
            writer.execute(() -> {
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        T value = change.run(c);
                        c.commit();
                        result.complete(value);
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.error("store write failed and was rolled back: {}", e.toString());
                    result.completeExceptionally(
                            new StoreException("the change could not be saved: " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed());
        }
        return result;
    }

    private static StoreException closed() {
        return new StoreException("the store is closed", null);
    }

    private CompletionStage<Boolean> delete(String table, String keyColumn, Object key) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + keyColumn + " = ?")) {
                s.setObject(1, key);
                boolean existed = s.executeUpdate() > 0;
                if (existed) {
                    notifyChange(c, table, key);
                }
                return existed;
            }
        });
    }




    // --- quota leases: one autocommitted statement each, on a pooled connection of the caller's thread (a lease is
    // taken only when a node's slice runs short, and must not queue behind the usage batches of the writer) ---

    @Override
    public Lease lease(Kind kind, long id, long need, long size) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + kind.table + " t SET " + kind.column + " = t."
                    + kind.column + " - g.slice FROM (SELECT id, CASE WHEN " + kind.column + " < ? THEN 0 ELSE"
                    + " GREATEST(?, LEAST(?, " + kind.column + " / 4)) END AS slice FROM " + kind.table
                    + " WHERE id = ? FOR UPDATE) g WHERE t.id = g.id RETURNING g.slice, t." + kind.column)) {
                s.setLong(1, need);
                s.setLong(2, need);
                s.setLong(3, size);
                s.setLong(4, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Lease(r.getLong(1), r.getLong(2)) : new Lease(0, 0);
                }
            }
        });
    }

    @Override
    public void giveBack(Kind kind, long id, long amount) {
        read(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + kind.table + " SET " + kind.column + " = "
                    + kind.column + " + ? WHERE id = ?")) {
                s.setLong(1, amount);
                s.setLong(2, id);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void setPool(Kind kind, long id, long amount) {
        read(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("UPDATE " + kind.table + " SET " + kind.column
                    + " = ? WHERE id = ?")) {
                s.setLong(1, amount);
                s.setLong(2, id);
                s.executeUpdate();
                notifyChange(c, kind.feed, id);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    @Override
    public List<Count> exchange(List<Count> mine, long fromWindow) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rate_windows (token_id, node, window_index,"
                    + " requests, tokens) VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id, node, window_index) DO UPDATE"
                    + " SET requests = EXCLUDED.requests, tokens = EXCLUDED.tokens")) {
                for (Count m : mine) {
                    s.setLong(1, m.tokenId());
                    s.setString(2, node);
                    s.setLong(3, m.window());
                    s.setLong(4, m.requests());
                    s.setLong(5, m.tokens());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM rate_windows WHERE window_index < ?")) {
                s.setLong(1, fromWindow);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM rate_leases WHERE window_index < ?")) {
                s.setLong(1, fromWindow);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT token_id, window_index, sum(requests), sum(tokens)"
                    + " FROM rate_windows WHERE node <> ? AND window_index >= ? GROUP BY token_id, window_index")) {
                s.setString(1, node);
                s.setLong(2, fromWindow);
                List<Count> others = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        others.add(new Count(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
                    }
                }
                return others;
            }
        });
    }

    // A request slice: the usual size, shrinking to a quarter of what is left (at least one) near the minute's end;
    // in the update's SET every column reads the row as it was, so `slice` is what this lease took.
    private static final String REQUEST_SLICE = "LEAST(?, GREATEST(1, (? - l.requests) / 4))";

    @Override
    public Grant leaseRequests(long tokenId, long window, long limit, long size) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO rate_leases AS l (token_id, window_index,"
                    + " requests, slice) VALUES (?, ?, LEAST(?, GREATEST(1, ? / 4)), LEAST(?, GREATEST(1, ? / 4)))"
                    + " ON CONFLICT (token_id, window_index) DO UPDATE SET requests = l.requests + " + REQUEST_SLICE
                    + ", slice = " + REQUEST_SLICE + " WHERE l.requests < ? RETURNING l.slice, l.requests")) {
                long[] values = {tokenId, window, size, limit, size, limit, size, limit, size, limit, limit};
                for (int i = 0; i < values.length; i++) {
                    s.setLong(i + 1, values[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Grant(r.getLong(1), r.getLong(2)) : new Grant(0, limit);
                }
            }
        });
    }

    private void notifyChange(Connection c, String table, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, CHANGES);
            s.setString(2, table + ":" + key + "@" + node);
            s.executeQuery().close();
        }
    }



}
