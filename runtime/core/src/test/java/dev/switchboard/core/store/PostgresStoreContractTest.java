package dev.switchboard.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                    java.util.List.of(EncodedLog.of(fromA)));
            Records.await(nodeA.writeUsage(a));
            Records.await(nodeB.writeUsage(new UsageBatch(java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                    java.util.List.of(EncodedLog.of(fromB)))));
            Records.await(nodeA.writeUsage(a));
            java.util.List<String> requests = new java.util.ArrayList<>();
            nodeA.scanLogs(0, Long.MAX_VALUE, false, e -> requests.add(e.requestId()));
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("req_1", "req_b"), requests);
        }
    }

    @org.junit.jupiter.api.Test
    void aConfigurationSaveNeverWritesBalancesAndOnlyAPoolChangeSetsThem() {
        try (PostgresStore store = (PostgresStore) open()) {
            TokenRecord t = Records.await(store.saveToken(Records.token("t")));
            assertEquals(new QuotaPool.Lease(1_000_000, 4_000_000), store.lease(QuotaPool.Kind.TOKEN, t.id(), 0,
                    1_000_000));
            // A rename from a record read before the lease: the lease stands.
            Records.await(store.saveToken(new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), t.status(),
                    t.expiresAt(), t.unlimitedQuota(), 5_000_000, 0, t.models(), t.subnets(), t.group(), t.rpm(),
                    t.tpm(), t.maxConcurrency(), t.userId(), t.createdAt())));
            TokenRecord stored = store.tokens().get(0);
            assertEquals("renamed", stored.name());
            assertEquals(4_000_000, stored.remainQuota());
            assertEquals(1_234, stored.usedQuota());
            store.setPool(QuotaPool.Kind.TOKEN, t.id(), 42);
            assertEquals(42, store.tokens().get(0).remainQuota());
            store.giveBack(QuotaPool.Kind.TOKEN, t.id(), 8);
            assertEquals(50, store.tokens().get(0).remainQuota());
            assertEquals(new QuotaPool.Lease(0, 50), store.lease(QuotaPool.Kind.TOKEN, t.id(), 51, 10),
                    "a pool that cannot cover the need gives nothing");
            assertEquals(new QuotaPool.Lease(12, 38), store.lease(QuotaPool.Kind.TOKEN, t.id(), 1, 100),
                    "a slice is at most a quarter of what is left");
        }
    }
}
