package dev.switchboard.plugin.qianfan;

import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.UpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The v1 access tokens of this adapter instance, one slot per channel, valid for the channel's base URL and key
 * (an edited key or base URL starts afresh). Single flight: however many requests find a slot cold, they share
 * one exchange. Past four fifths of a token's life a request triggers one background refresh and goes on with
 * the current token; a failed refresh is tried again after {@link #REFRESH_BACKOFF}. A failed exchange is not
 * kept: the next request tries again.
 */
final class TokenCache {

    static final Duration REFRESH_BACKOFF = Duration.ofSeconds(30);

    private final ConcurrentHashMap<Long, Slot> slots = new ConcurrentHashMap<>();
    private final BiFunction<Channel, UpstreamClient, CompletableFuture<AccessToken>> exchange;
    private final Clock clock;

    /**
     * @param exchange fetches a token for a channel
     * @param clock the time
     */
    TokenCache(BiFunction<Channel, UpstreamClient, CompletableFuture<AccessToken>> exchange, Clock clock) {
        this.exchange = exchange;
        this.clock = clock;
    }

    /**
     * @param channel the v1 channel
     * @param client the core's side-call client, used when a token must be fetched
     * @return the channel's token, possibly still being fetched; failed with the exchange's error
     */
    CompletableFuture<AccessToken> get(Channel channel, UpstreamClient client) {
        Instant now = clock.instant();
        String identity = channel.baseUrl() + '\n' + channel.key();
        Slot slot = slots.get(channel.id());
        if (slot == null || !slot.serves(identity, now)) {
            // Cold, expired or edited: the first request to get here starts the exchange, the others share it.
            CompletableFuture<AccessToken> fresh = new CompletableFuture<>();
            slot = slots.compute(channel.id(), (id, s) -> s != null && s.serves(identity, now) ? s
                    : new Slot(identity, fresh, null, Instant.MIN));
            if (slot.current == fresh) {
                fetch(channel, client, fresh, () -> slots.computeIfPresent(channel.id(),
                        (id, s) -> s.current == fresh ? null : s));
                return fresh;
            }
        }
        if (slot.refresh == null && slot.ready() && slot.token().refreshDue(now) && !now.isBefore(slot.retryAfter)) {
            refreshAhead(channel, client, slot);
        }
        return slot.current;
    }

    private void refreshAhead(Channel channel, UpstreamClient client, Slot seen) {
        CompletableFuture<AccessToken> next = new CompletableFuture<>();
        Slot mine = slots.computeIfPresent(channel.id(), (id, s) -> s == seen
                ? new Slot(s.identity, s.current, next, s.retryAfter) : s);
        if (mine == null || mine.refresh != next) {
            return;
        }
        next.whenComplete((t, e) -> slots.computeIfPresent(channel.id(), (id, s) -> s.refresh != next ? s
                : e == null ? new Slot(s.identity, CompletableFuture.completedFuture(t), null, Instant.MIN)
                : new Slot(s.identity, s.current, null, clock.instant().plus(REFRESH_BACKOFF))));
        fetch(channel, client, next, () -> { });
    }

    private void fetch(Channel channel, UpstreamClient client, CompletableFuture<AccessToken> into,
            Runnable onFailure) {
        CompletableFuture<AccessToken> call;
        try {
            call = exchange.apply(channel, client);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((t, e) -> {
            if (e != null) {
                // Forget the failure before waiters hear of it, so the next request starts a new exchange.
                onFailure.run();
                into.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            } else {
                into.complete(t);
            }
        });
    }

    /**
     * Forgets a channel's token after Baidu refused the one a request of that channel carried; at worst a token
     * fetched meanwhile by a concurrent request is fetched once more.
     *
     * @param channelId the channel
     */
    void dropChannel(long channelId) {
        slots.computeIfPresent(channelId, (id, s) -> s.ready() ? null : s);
    }

    /** Forgets every token (when a refusal cannot be tied to a channel). */
    void dropAll() {
        slots.clear();
    }

    /** @return the number of channels with a slot */
    int size() {
        return slots.size();
    }

    /** A channel's token (or its exchange in flight), for one base URL and key, and a refresh in flight. */
    private static final class Slot {
        final String identity;
        final CompletableFuture<AccessToken> current;
        final CompletableFuture<AccessToken> refresh;
        final Instant retryAfter;

        Slot(String identity, CompletableFuture<AccessToken> current, CompletableFuture<AccessToken> refresh,
                Instant retryAfter) {
            this.identity = identity;
            this.current = current;
            this.refresh = refresh;
            this.retryAfter = retryAfter;
        }

        boolean ready() {
            return current.isDone() && !current.isCompletedExceptionally();
        }

        AccessToken token() {
            return current.join();
        }

        /** Whether requests for this identity may use (or wait for) this slot's token. */
        boolean serves(String wanted, Instant now) {
            if (!identity.equals(wanted)) {
                return false;
            }
            if (!current.isDone()) {
                return true;
            }
            return ready() && token().usable(now);
        }

        @Override
        public String toString() {
            // Never the key held in identity.
            return "Slot[" + (ready() ? token() : "pending") + "]";
        }
    }
}
