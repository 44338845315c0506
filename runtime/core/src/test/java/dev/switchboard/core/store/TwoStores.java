package dev.switchboard.core.store;

/** Two nodes' stores on one fresh schema of the test database, as two gateways sharing one PostgreSQL. */
public final class TwoStores implements AutoCloseable {

    private final TestDatabase.Schema schema;
    /** node A's store */
    public final PostgresStore a;
    /** node B's store */
    public final PostgresStore b;

    private TwoStores(TestDatabase.Schema schema) {
        this.schema = schema;
        this.a = new PostgresStore(schema.connection());
        this.b = new PostgresStore(schema.connection());
    }

    /** @return both stores, migrated (skips the test when no test database is configured) */
    public static TwoStores open() {
        return new TwoStores(TestDatabase.newSchema());
    }

    @Override
    public void close() {
        a.close();
        b.close();
        schema.drop();
    }
}
