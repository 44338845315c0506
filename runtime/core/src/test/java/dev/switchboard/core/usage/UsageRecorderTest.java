package dev.switchboard.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.pricing.Unpriced;
import dev.switchboard.core.quota.Charge;
import dev.switchboard.core.quota.Estimate;
import dev.switchboard.core.quota.Ledger;
import dev.switchboard.core.quota.Tokenizer;
import dev.switchboard.core.relay.Outcome;
import dev.switchboard.core.relay.Tried;
import dev.switchboard.core.routing.Fixtures;
import dev.switchboard.core.store.LogRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.PriceRecord;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Passwords;
import dev.switchboard.core.user.Users;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settling requests behind the relay: every request's hold is settled and logged, whatever another one does. */
class UsageRecorderTest {

    private static final long USER = 2;
    private static final long TOKEN = 10;
    private static final PriceRecord PRICE = new PriceRecord("m", 1_000_000, 1_000_000, 0, 0, 0);
    private static final long HOLD = 100;

    @TempDir
    Path tmp;

    @Test
    void aRequestThatCannotBeSettledLeavesTheOthersInItsBatchSettledAndItsHoldReleased() {
        try (MapDbStore store = new MapDbStore(tmp.resolve("switchboard.db"))) {
            store.saveUser(new UserRecord(USER, "u", null, "user", "enabled", "default", 1_000_000, false, 0, 0,
                    null, null, null, 0)).toCompletableFuture().join();
            TokenRecord token = new TokenRecord(TOKEN, "t", "h", "sk-...", "enabled", null, false, 100_000, 0,
                    List.of(), List.of(), null, null, null, null, USER, 0);
            store.saveToken(token).toCompletableFuture().join();
            Users users = new Users(store, Passwords.standard());
            Tokens tokens = new Tokens(store);
            Channels channels = new Channels(store, SecretBox.open(Optional.of(
                    "a passphrase for tests only, long enough"), tmp.resolve("secret.key")), Fixtures.adapters());
            Ledger ledger = new Ledger(id -> users.get(id).orElse(null), id -> 0L);
            UsageRecorder recorder = new UsageRecorder(store, ledger, new Tokenizer(), new Unpriced(store,
                    new Prices(store)), new UsageRecorder.Registries(tokens, users, channels), Duration.ofMillis(50),
                    1_000, Clock.systemUTC());

            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                boolean[] taken = ledger.reserve(tokens.get(TOKEN).orElseThrow(), HOLD);
                // Request 10 cannot be priced (no multiplier), request 20 fails after it was priced.
                Charge charge = new Charge(TOKEN, USER, "default", "m", PRICE, i == 10 ? null : BigDecimal.ONE,
                        new Estimate(10, 5, 0), HOLD, taken[0], taken[1]);
                List<Tried> tried = i == 20 ? Arrays.asList(new Tried(1, 200, 5, null), null)
                        : List.of(new Tried(1, 200, 5, null));
                outcomes.add(new Outcome("req-" + i, TOKEN, USER, 1, "m", "m", false, 200, Usage.of(10, 5), 3, 5,
                        null, "127.0.0.1", 1, tried, charge, null));
            }
            outcomes.forEach(recorder::settle);
            recorder.close();

            List<String> logged = new ArrayList<>();
            store.scanLogs(0, Long.MAX_VALUE, false, r -> {
                if (LogRecord.RELAY.equals(r.type())) {
                    logged.add(r.requestId());
                }
                return true;
            });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                if (i != 10 && i != 20) {
                    expected.add("req-" + i);
                }
            }
            assertEquals(expected, logged, "every request but the two that failed is logged, in order");

            // 49 requests cost 15 each (10 + 5 tokens at one unit each); the one that could not be priced costs
            // what it held. Nothing stays held.
            long spent = 49 * 15 + HOLD;
            UserRecord user = store.users().stream().filter(u -> u.id() == USER).findFirst().orElseThrow();
            assertEquals(spent, user.usedQuota());
            assertEquals(1_000_000 - spent, user.quota());
            assertEquals(50, user.requestCount());
            TokenRecord written = store.tokens().stream().filter(t -> t.id() == TOKEN).findFirst().orElseThrow();
            assertEquals(100_000 - spent, written.remainQuota());
            assertEquals(spent, written.usedQuota());
        }
    }
}
