package dev.switchboard.plugin.qianfan;

import java.time.Duration;
import java.time.Instant;

/**
 * A v1 access token with the two moments that matter: when to start fetching its successor in the background
 * (four fifths into its life) and when to stop using it (a margin before Baidu's {@code expires_in} runs out).
 *
 * @param value the token, sent as {@code access_token}
 * @param refreshAt from when a request triggers a background refresh
 * @param expiresAt from when the token is not used any more
 */
record AccessToken(String value, Instant refreshAt, Instant expiresAt) {

    /** What Baidu documents when an answer leaves {@code expires_in} out: 30 days. */
    static final long DEFAULT_LIFETIME_SECONDS = 2_592_000;

    private static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    /**
     * @param value the token
     * @param expiresInSeconds Baidu's {@code expires_in}
     * @param now when the exchange answered
     * @return the token with its refresh and expiry moments
     */
    static AccessToken issued(String value, long expiresInSeconds, Instant now) {
        Duration life = Duration.ofSeconds(expiresInSeconds > 0 ? expiresInSeconds : DEFAULT_LIFETIME_SECONDS);
        Duration margin = life.dividedBy(10).compareTo(MAX_MARGIN) < 0 ? life.dividedBy(10) : MAX_MARGIN;
        return new AccessToken(value, now.plus(life.multipliedBy(4).dividedBy(5)), now.plus(life).minus(margin));
    }

    /** @param now the time @return whether the token may still be sent */
    boolean usable(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** @param now the time @return whether its successor should be fetched */
    boolean refreshDue(Instant now) {
        return !now.isBefore(refreshAt);
    }

    @Override
    public String toString() {
        // Never the token.
        return "AccessToken[expires " + expiresAt + "]";
    }
}
