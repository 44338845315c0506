package dev.switchboard.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Sessions expire and end; failed logins are limited per user name and per address. */
class SessionsAndLimitsTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

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

    private final TestClock clock = new TestClock();

    @Test
    void aSessionIsFoundByItsIdUntilItExpires() {
        Sessions sessions = new Sessions(Duration.ofHours(1), clock);
        Sessions.Created c = sessions.create(7);
        assertEquals(7, sessions.find(c.id()).orElseThrow().userId());
        assertEquals(clock.now.plusSeconds(3600).getEpochSecond(), c.session().expiresAt());
        assertTrue(c.id().length() >= 43, "256 random bits");
        assertNotEquals(c.id(), c.session().csrfToken());
        clock.advance(Duration.ofMinutes(59));
        assertTrue(sessions.find(c.id()).isPresent());
        clock.advance(Duration.ofMinutes(1));
        assertTrue(sessions.find(c.id()).isEmpty(), "expired");
    }

    @Test
    void logoutAndUserRemovalEndSessions() {
        Sessions sessions = new Sessions(Duration.ofHours(1), clock);
        Sessions.Created a = sessions.create(1);
        Sessions.Created b = sessions.create(2);
        Sessions.Created c = sessions.create(2);
        sessions.remove(a.id());
        assertTrue(sessions.find(a.id()).isEmpty());
        sessions.removeUser(2);
        assertTrue(sessions.find(b.id()).isEmpty());
        assertTrue(sessions.find(c.id()).isEmpty());
        assertTrue(sessions.find("forged").isEmpty());
        assertTrue(sessions.find(null).isEmpty());
    }

    @Test
    void failuresPerUserNameAreLimitedWithinTheWindow() {
        LoginLimiter limiter = new LoginLimiter(3, 100, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.blocked("alice", "10.0.0." + i).isEmpty());
            limiter.failed("alice", "10.0.0." + i);
        }
        Duration wait = limiter.blocked("Alice", "10.0.0.99").orElseThrow();
        assertEquals(Duration.ofMinutes(15), wait, "whatever the address and letter case");
        assertTrue(limiter.blocked("bob", "10.0.0.1").isEmpty(), "other users are not affected");
        clock.advance(Duration.ofMinutes(15));
        assertTrue(limiter.blocked("alice", "10.0.0.1").isEmpty(), "the window has passed");
    }

    @Test
    void failuresPerAddressAreLimitedAcrossUserNames() {
        LoginLimiter limiter = new LoginLimiter(100, 4, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 4; i++) {
            limiter.failed("user" + i, "192.0.2.1");
        }
        assertTrue(limiter.blocked("someone-else", "192.0.2.1").isPresent());
        assertTrue(limiter.blocked("someone-else", "192.0.2.2").isEmpty());
    }

    @Test
    void aSuccessClearsTheUserNameButNotTheAddress() {
        LoginLimiter limiter = new LoginLimiter(2, 3, Duration.ofMinutes(15), clock);
        limiter.failed("alice", "192.0.2.1");
        limiter.failed("alice", "192.0.2.1");
        assertTrue(limiter.blocked("alice", "192.0.2.9").isPresent());
        limiter.succeeded("alice");
        assertFalse(limiter.blocked("alice", "192.0.2.9").isPresent());
        limiter.failed("mallory", "192.0.2.1");
        assertTrue(limiter.blocked("anyone", "192.0.2.1").isPresent(), "three failures from the address");
    }
}
