package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The per-channel token cache: single flight, refresh ahead, expiry, refusals. */
class TokenCacheTest {

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MovableClock clock = new MovableClock();
    /** Exchanges started, each completed by the test. */
    private final List<CompletableFuture<AccessToken>> exchanges = new ArrayList<>();
    private final TokenCache cache = new TokenCache((Channel c, UpstreamClient u) -> {
        CompletableFuture<AccessToken> f = new CompletableFuture<>();
        exchanges.add(f);
        return f;
    }, clock);
    private final TestChannel channel = TestChannel.v1(7, "ak|sk", "http://127.0.0.1:9");

    private AccessToken issue(int n, long lifetimeSeconds) {
        return AccessToken.issued("24.token-" + n, lifetimeSeconds, clock.instant());
    }

    @Test
    void coldRequestsShareOneExchangeAndLaterOnesUseTheCachedToken() throws Exception {
        CompletableFuture<AccessToken> a = cache.get(channel, null);
        CompletableFuture<AccessToken> b = cache.get(channel, null);
        assertSame(a, b, "one exchange in flight, shared");
        assertEquals(1, exchanges.size());
        exchanges.get(0).complete(issue(1, 2_592_000));
        assertEquals("24.token-1", a.get().value());
        clock.advance(Duration.ofDays(10));
        assertEquals("24.token-1", cache.get(channel, null).get().value());
        assertEquals(1, exchanges.size(), "never an exchange per request");
    }

    @Test
    void pastFourFifthsOfItsLifeOneBackgroundRefreshStartsWhileTheOldTokenServes() throws Exception {
        cache.get(channel, null);
        exchanges.get(0).complete(issue(1, 1000));
        clock.advance(Duration.ofSeconds(801));
        assertEquals("24.token-1", cache.get(channel, null).get().value(), "the current token still serves");
        assertEquals("24.token-1", cache.get(channel, null).get().value());
        assertEquals(2, exchanges.size(), "one refresh, however many requests");
        exchanges.get(1).complete(issue(2, 1000));
        assertEquals("24.token-2", cache.get(channel, null).get().value());
        assertEquals(2, exchanges.size());
    }

    @Test
    void aFailedRefreshKeepsTheTokenAndIsRetriedAfterABackoff() throws Exception {
        cache.get(channel, null);
        exchanges.get(0).complete(issue(1, 1000));
        clock.advance(Duration.ofSeconds(850));
        cache.get(channel, null);
        exchanges.get(1).completeExceptionally(new UpstreamErrorException(V1Errors.exchangeFailed("timed out")));
        assertEquals("24.token-1", cache.get(channel, null).get().value());
        assertEquals(2, exchanges.size(), "no retry within the backoff");
        clock.advance(TokenCache.REFRESH_BACKOFF.plusSeconds(1));
        cache.get(channel, null);
        assertEquals(3, exchanges.size());
    }

    @Test
    void anExpiredTokenIsNotSentAndAColdFetchStarts() throws Exception {
        cache.get(channel, null);
        exchanges.get(0).complete(issue(1, 1000));
        clock.advance(Duration.ofSeconds(950)); // the margin is a tenth of the life, at most 5 minutes
        CompletableFuture<AccessToken> next = cache.get(channel, null);
        assertFalse(next.isDone(), "waits for the new token");
        exchanges.get(1).complete(issue(2, 1000));
        assertEquals("24.token-2", next.get().value());
    }

    @Test
    void aFailedExchangeIsNotKept() {
        CompletableFuture<AccessToken> a = cache.get(channel, null);
        exchanges.get(0).completeExceptionally(new UpstreamErrorException(V1Errors.tokenRefused("invalid_client",
                "unknown client id")));
        ExecutionException e = assertThrows(ExecutionException.class, a::get);
        assertTrue(e.getCause() instanceof UpstreamErrorException u && u.error().disableChannel());
        assertEquals(0, cache.size());
        cache.get(channel, null);
        assertEquals(2, exchanges.size(), "the next request tries again");
    }

    @Test
    void aRefusedTokenIsDroppedForItsChannelOnly() throws Exception {
        cache.get(channel, null);
        exchanges.get(0).complete(issue(1, 1000));
        cache.dropChannel(8);
        assertEquals(1, cache.size(), "another channel's refusal: kept");
        cache.dropChannel(7);
        assertEquals(0, cache.size());
        cache.get(channel, null);
        assertEquals(2, exchanges.size());
    }

    @Test
    void anEditedKeyOrBaseUrlStartsAfreshAndChannelsDoNotShare() throws Exception {
        cache.get(channel, null);
        exchanges.get(0).complete(issue(1, 1000));
        cache.get(TestChannel.v1(7, "ak2|sk2", "http://127.0.0.1:9"), null);
        assertEquals(2, exchanges.size(), "new key");
        cache.get(TestChannel.v1(8, "ak|sk", "http://127.0.0.1:9"), null);
        assertEquals(3, exchanges.size(), "another channel");
        assertEquals(2, cache.size(), "one slot per channel");
    }
}
