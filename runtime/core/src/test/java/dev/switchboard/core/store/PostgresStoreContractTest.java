package dev.switchboard.core.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The store contract against PostgreSQL: each test in a schema of its own, dropped after it. */
class PostgresStoreContractTest extends StoreContract {

    private TestDatabase.Schema schema;

    @BeforeEach
    void createSchema() {
        schema = TestDatabase.newSchema();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @Override
    Store open() {
        return new PostgresStore(schema.connection());
    }
}
