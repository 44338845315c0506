package dev.switchboard.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The PostgreSQL tables as one transaction sees them (a backup's repeatable-read snapshot), for {@link StoreCopy}. */
final class PostgresSnapshot implements StoreCopy.Source {

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private final Connection c;

    /** @param c a connection in the transaction to read in */
    PostgresSnapshot(Connection c) {
        this.c = c;
    }

    private <T> T on(Query<T> query) {
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreException("reading the database failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChannelRecord> channels() {
        return on(PostgresTables::channels);
    }

    @Override
    public List<TokenRecord> tokens() {
        return on(PostgresTables::tokens);
    }

    @Override
    public List<UserRecord> users() {
        return on(PostgresTables::users);
    }

    @Override
    public List<PriceRecord> prices() {
        return on(PostgresTables::prices);
    }

    @Override
    public List<GroupRecord> groups() {
        return on(PostgresTables::groups);
    }

    @Override
    public Map<String, String> allMeta() {
        return on(PostgresTables::allMeta);
    }

    @Override
    public void scanLogs(long fromId, long toId, boolean newestFirst, Predicate<LogRecord> visitor) {
        on(conn -> {
            PostgresTables.scanLogs(conn, fromId, toId, newestFirst, visitor);
            return null;
        });
    }
}
