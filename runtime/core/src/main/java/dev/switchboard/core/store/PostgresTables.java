package dev.switchboard.core.store;

import dev.switchboard.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The PostgreSQL store's SQL, on a connection the caller owns (a pooled one, or a snapshot's): records are read
 * whole from their JSON with their balance columns beside it, and written the same way.
 */
final class PostgresTables {

    /** Maps the current row. @param <T> what it becomes */
    interface Row<T> {
        /** @param r the result set on a row @return the value @throws SQLException when reading fails */
        T map(ResultSet r) throws SQLException;
    }

    private PostgresTables() {
    }

    static List<ChannelRecord> channels(Connection c) throws SQLException {
        return rows(c, "SELECT body, used_quota FROM channels ORDER BY id",
                r -> record(r, ChannelRecord.class).withUsedQuota(r.getLong(2)));
    }

    static List<TokenRecord> tokens(Connection c) throws SQLException {
        return rows(c, "SELECT body, remain_quota, used_quota FROM tokens ORDER BY id",
                r -> record(r, TokenRecord.class).withBalance(r.getLong(2), r.getLong(3)));
    }

    static List<UserRecord> users(Connection c) throws SQLException {
        return rows(c, "SELECT body, quota, used_quota, request_count FROM users ORDER BY id",
                r -> record(r, UserRecord.class).withBalance(r.getLong(2), r.getLong(3), r.getLong(4)));
    }

    /** Sets balance columns of the records by id, in one batch; a record deleted meanwhile stays deleted. */
    static <B> void patch(Connection c, String sql, Map<Long, B> balances,
            java.util.function.Function<B, long[]> columns) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (Map.Entry<Long, B> e : balances.entrySet()) {
                long[] values = columns.apply(e.getValue());
                for (int i = 0; i < values.length; i++) {
                    s.setLong(i + 1, values[i]);
                }
                s.setLong(values.length + 1, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Log ids come from each node's clock, so two nodes may pick the same one: an entry whose id is taken by a
     * different entry goes after the newest instead (an entry already there whole is a retried batch: skipped).
     */
    static void insertLogs(Connection c, List<EncodedLog> entries) throws SQLException {
        List<EncodedLog> clashed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO logs (id, body) VALUES (?, ?::jsonb)"
                + " ON CONFLICT (id) DO NOTHING")) {
            for (EncodedLog entry : entries) {
                s.setLong(1, entry.id());
                s.setString(2, new String(entry.json(), StandardCharsets.UTF_8));
                s.addBatch();
            }
            int[] inserted = s.executeBatch();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i] == 0) {
                    clashed.add(entries.get(i));
                }
            }
        }
        for (EncodedLog entry : clashed) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO logs (id, body) SELECT (SELECT max(id) + 1 FROM logs),"
                    + " ?::jsonb WHERE NOT EXISTS (SELECT 1 FROM logs WHERE id = ? AND body = ?::jsonb)")) {
                String body = new String(entry.json(), StandardCharsets.UTF_8);
                s.setString(1, body);
                s.setLong(2, entry.id());
                s.setString(3, body);
                s.executeUpdate();
            }
        }
    }

    static void scanLogs(Connection c, long fromId, long toId, boolean newestFirst,
            Predicate<LogRecord> visitor) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        // A cursor (fetch size) needs a transaction: pages of entries, never the whole log in memory.
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM logs WHERE id >= ? AND id < ? ORDER BY id "
                + (newestFirst ? "DESC" : "ASC"))) {
            s.setFetchSize(500);
            s.setLong(1, fromId);
            s.setLong(2, toId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (!visitor.test(record(r, LogRecord.class))) {
                        break;
                    }
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(autoCommit);
        }
    }

    /** Parameters in order; records go in as their JSON. */
    static void upsert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                s.setObject(i + 1, p instanceof Record r ? json(r) : p);
            }
            s.executeUpdate();
        }
    }

    static long nextId(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT nextval(pg_get_serial_sequence(?, 'id'))")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** An explicit id (root's, or a copied record's) is never handed out again by the sequence. */
    static void raise(Connection c, String table, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT setval(pg_get_serial_sequence(?, 'id'), ?)"
                + " FROM (SELECT last_value, is_called FROM " + table + "_id_seq) q"
                + " WHERE NOT is_called OR last_value < ?")) {
            s.setString(1, table);
            s.setLong(2, id);
            s.setLong(3, id);
            s.executeQuery().close();
        }
    }

    static <T> List<T> rows(Connection c, String sql, Row<T> mapper) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (r.next()) {
                out.add(mapper.map(r));
            }
            return out;
        }
    }

    static <T> T record(ResultSet r, Class<T> type) throws SQLException {
        return Json.record(r.getString(1).getBytes(StandardCharsets.UTF_8), type);
    }

    static String json(Object record) {
        return new String(Json.recordBytes(record), StandardCharsets.UTF_8);
    }

    static List<PriceRecord> prices(Connection c) throws SQLException {
        return rows(c, "SELECT body FROM prices ORDER BY model", r -> record(r, PriceRecord.class));
    }

    static List<GroupRecord> groups(Connection c) throws SQLException {
        return rows(c, "SELECT body FROM groups ORDER BY name", r -> record(r, GroupRecord.class));
    }

    static Map<String, String> allMeta(Connection c) throws SQLException {
        Map<String, String> all = new TreeMap<>();
        rows(c, "SELECT key, value FROM meta", r -> all.put(r.getString(1), r.getString(2)));
        return all;
    }
}
