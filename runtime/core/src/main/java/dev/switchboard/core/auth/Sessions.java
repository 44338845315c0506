package dev.switchboard.core.auth;

import dev.switchboard.core.token.TokenKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory (a restart logs everyone out). A session id is 256 random bits, kept only as its
 * SHA-256; each session has its own CSRF token, which the console sends back in a header on every change.
 */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    /**
     * A login.
     *
     * @param userId the user
     * @param csrfToken the token state-changing requests must carry
     * @param expiresAt unix seconds
     */
    public record Session(long userId, String csrfToken, long expiresAt) {
    }

    /** A new session and the id for its cookie. @param id the cookie value @param session the session */
    public record Created(String id, Session session) {
    }

    /**
     * @param ttl how long a login lasts
     * @param clock the time
     */
    public Sessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** @return how long a login lasts */
    public Duration ttl() {
        return ttl;
    }

    /**
     * @param userId the user who logged in
     * @return the session and its cookie value
     */
    public Created create(long userId) {
        String id = random();
        Session s = new Session(userId, random(), clock.instant().plus(ttl).getEpochSecond());
        byHash.put(TokenKeys.hash(id), s);
        sweep();
        return new Created(id, s);
    }

    /**
     * @param id a cookie value
     * @return its session, unless unknown or expired
     */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String h = TokenKeys.hash(id);
        Session s = byHash.get(h);
        if (s == null) {
            return Optional.empty();
        }
        if (s.expiresAt() <= clock.instant().getEpochSecond()) {
            byHash.remove(h);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** @param id a cookie value; its session ends */
    public void remove(String id) {
        if (id != null) {
            byHash.remove(TokenKeys.hash(id));
        }
    }

    /** @param userId a user whose sessions all end (disabled, deleted, password changed) */
    public void removeUser(long userId) {
        byHash.values().removeIf(s -> s.userId() == userId);
    }

    /** @return sessions alive */
    public int size() {
        return byHash.size();
    }

    private void sweep() {
        long now = clock.instant().getEpochSecond();
        byHash.values().removeIf(s -> s.expiresAt() <= now);
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
