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

    @org.junit.jupiter.api.Test
    void twoNodesLoggingUnderOneIdKeepBothEntriesAndARetriedBatchIsNotDoubled() {
        try (Store nodeA = open(); Store nodeB = open()) {
            LogRecord fromA = log(8_000_000, 8);
            LogRecord fromB = new LogRecord(8_000_000, 8, LogRecord.RELAY, 1, 2, "t", 3, "other-model", "other-model",
                    true, 1, 1, 0, 2, false, false, 10, 20, 200, null, java.util.List.of(), "10.0.0.2", "req_b", null);
            UsageBatch a = new UsageBatch(java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                    java.util.List.of(fromA));
            Records.await(nodeA.writeUsage(a));
            Records.await(nodeB.writeUsage(new UsageBatch(java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                    java.util.List.of(fromB))));
            Records.await(nodeA.writeUsage(a));
            java.util.List<String> requests = new java.util.ArrayList<>();
            nodeA.scanLogs(0, Long.MAX_VALUE, false, e -> requests.add(e.requestId()));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("req_1", "req_b"), requests);
        }
    }
}
