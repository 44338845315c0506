package dev.switchboard.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.pricing.Groups;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.quota.Ledger;
import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.PostgresStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.store.TestDatabase;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Passwords;
import dev.switchboard.core.user.Users;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL schema: what node A commits reaches node B's registries through the change feed;
 * node B's own changes are not read back over its memory; a change made while B was not listening arrives with the
 * resync.
 */
class ChangeFeedTest {

    @TempDir
    Path dir;

    private TestDatabase.Schema schema;
    private PostgresStore a;
    private PostgresStore b;
    private Node nodeB;
    private ChangeFeed feed;

    /** One node's registries over its store. */
    private record Node(Channels channels, Tokens tokens, Users users, Prices prices, Groups groups,
            RuntimeSettings settings, Ledger ledger) {
        static Node on(PostgresStore store, SecretBox secrets) {
            Channels channels = new Channels(store, secrets, new AdapterRegistry());
            Users users = new Users(store, new Passwords(1_000));
            // As the gateway runs on PostgreSQL: quota leased from the shared pools (leases made on this thread).
            Ledger ledger = Ledger.leasing(id -> users.get(id).orElse(null), store, 100, Runnable::run);
            return new Node(channels, new Tokens(store), users, new Prices(store), new Groups(store),
                    new RuntimeSettings(store), ledger);
        }

        Replica.Registries registries() {
            return new Replica.Registries(channels, tokens, users, prices, groups, settings, ledger);
        }
    }

    @BeforeEach
    void twoNodes() {
        schema = TestDatabase.newSchema();
        a = new PostgresStore(schema.connection());
        b = new PostgresStore(schema.connection());
        nodeB = Node.on(b, SecretBox.open(Optional.empty(), dir.resolve("secret.key")));
    }

    @AfterEach
    void close() {
        if (feed != null) {
            feed.close();
        }
        if (a != null) {
            a.close();
            b.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    private void listen(Duration resync) {
        feed = new ChangeFeed(b, new Replica(b, nodeB.registries()), resync);
    }

    @Test
    void aChannelDisabledOnOneNodeIsDisabledOnTheOther() {
        ChannelRecord c = a.saveChannel(channel()).toCompletableFuture().join();
        listen(Duration.ofHours(1));
        awaitTrue(() -> nodeB.channels().get(c.id()).isPresent());
        a.saveChannel(c.withStatus(ChannelRecord.DISABLED, "by an admin on node A")).toCompletableFuture()
                .join();
        awaitTrue(() -> ChannelRecord.DISABLED.equals(nodeB.channels().get(c.id()).orElseThrow().status()));
        a.deleteChannel(c.id()).toCompletableFuture().join();
        awaitTrue(() -> nodeB.channels().get(c.id()).isEmpty());
    }

    @Test
    void aRevokedTokenIsGoneAndANewQuotaIsTakenOnTheOtherNode() {
        listen(Duration.ofHours(1));
        TokenRecord t = a.saveToken(token(1_000)).toCompletableFuture().join();
        awaitTrue(() -> nodeB.tokens().get(t.id()).isPresent());
        assertTrue(nodeB.tokens().byKey("not the key").isEmpty());
        // An admin's quota change on node A: the pool is set (a save of the record leaves balances be).
        a.saveToken(token(5_000).withId(t.id())).toCompletableFuture().join();
        a.setPool(dev.switchboard.core.store.QuotaPool.Kind.TOKEN, t.id(), 5_000);
        awaitTrue(() -> nodeB.ledger().live(nodeB.tokens().get(t.id()).orElseThrow()).remainQuota() == 5_000);
        a.deleteToken(t.id()).toCompletableFuture().join();
        awaitTrue(() -> nodeB.tokens().get(t.id()).isEmpty());
    }

    @Test
    void pricesGroupsUsersAndSettingsFollow() {
        listen(Duration.ofHours(1));
        a.saveGroup(new dev.switchboard.core.store.GroupRecord("vip", new BigDecimal("0.5"))).toCompletableFuture()
                .join();
        a.saveUser(new UserRecord(7, "dora", null, "user", "enabled", "default", 100, false, 0, 0, "h", null, null,
                1)).toCompletableFuture().join();
        a.putMeta("setting." + RuntimeSettings.PRICING_UNPRICED, "reject").toCompletableFuture().join();
        a.deletePrice("gpt-4o").toCompletableFuture().join();
        awaitTrue(() -> nodeB.groups().multiplier("vip").compareTo(new BigDecimal("0.5")) == 0);
        awaitTrue(() -> nodeB.users().byUsername("dora").isPresent());
        awaitTrue(() -> nodeB.settings().rejectUnpriced());
        awaitTrue(() -> nodeB.prices().find("gpt-4o").isEmpty());
    }

    @Test
    void aChangeMadeWhileNobodyListenedArrivesWithTheResync() {
        ChannelRecord c = a.saveChannel(channel()).toCompletableFuture().join();
        // Node B loaded before the channel existed and was not listening when it was saved.
        assertTrue(nodeB.channels().get(c.id()).isEmpty());
        listen(Duration.ofSeconds(1));
        awaitTrue(() -> nodeB.channels().get(c.id()).isPresent());
    }

    @Test
    void aNodesOwnChangesAreNotHandedBackToIt() {
        TokenRecord t = b.saveToken(token(1_000)).toCompletableFuture().join();
        nodeB.tokens().reload(b.tokens());
        nodeB.ledger().reserve(t, 400);
        listen(Duration.ofHours(1));
        // Saved by node B at the store level only: were it handed back, B's wallet would take 9000 from it.
        b.saveToken(token(9_000).withId(t.id())).toCompletableFuture().join();
        // A change from node A after it: once that has arrived, B's own one would have too.
        a.saveGroup(new dev.switchboard.core.store.GroupRecord("marker", BigDecimal.ONE)).toCompletableFuture().join();
        awaitTrue(() -> nodeB.groups().list().stream().anyMatch(g -> g.name().equals("marker")));
        assertEquals(1_000, nodeB.ledger().live(t).remainQuota(), "600 available and 400 held, as B's ledger had it");
    }

    private static ChannelRecord channel() {
        return new ChannelRecord(0, "shared", "openai", "v1:cipher", "sk-ab...wxyz", "https://api.example",
                List.of("gpt-4o"), Map.of(), List.of("default"), 0, 1, ChannelRecord.ENABLED, null, null, null, 0,
                null, null, 0L, 0, 1_700_000_000L);
    }

    private static TokenRecord token(long remain) {
        return new TokenRecord(0, "t", "ab".repeat(32), "sk-Ab...Yz12", "enabled", null, false, remain, 0,
                List.of(), List.of(), null, null, null, null, 1, 1_700_000_000L);
    }

    /** Waits up to 10 s (a wide margin: the feed polls every 200 ms) for a condition. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node B did not take node A's change within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
