package dev.switchboard.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per user name and per client address: past the allowed failures within the window, further
 * attempts are refused until the window that began with the first failure has passed. A success clears the user
 * name's count (not the address's, so one valid account cannot be used to reset guessing at others).
 */
public final class LoginLimiter {

    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> users = new ConcurrentHashMap<>();
    private final Map<String, Window> addresses = new ConcurrentHashMap<>();

    private record Window(long startMillis, int failures) {
    }

    /**
     * @param perUser failures allowed per user name
     * @param perAddress failures allowed per address
     * @param window the counting window
     * @param clock the time
     */
    public LoginLimiter(int perUser, int perAddress, Duration window, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
    }

    /**
     * @param username the name tried
     * @param address the client address
     * @return how long to wait, when the attempt must be refused
     */
    public Optional<Duration> blocked(String username, String address) {
        long now = clock.millis();
        Optional<Duration> u = wait(users, key(username), perUser, now);
        return u.isPresent() ? u : wait(addresses, address, perAddress, now);
    }

    /** @param username the name tried @param address the client address */
    public void failed(String username, String address) {
        long now = clock.millis();
        count(users, key(username), now);
        count(addresses, address, now);
        if (users.size() + addresses.size() > 100_000) {
            users.values().removeIf(w -> now - w.startMillis() >= window.toMillis());
            addresses.values().removeIf(w -> now - w.startMillis() >= window.toMillis());
        }
    }

    /** @param username a name that logged in */
    public void succeeded(String username) {
        users.remove(key(username));
    }

    private Optional<Duration> wait(Map<String, Window> map, String key, int allowed, long now) {
        Window w = key == null ? null : map.get(key);
        if (w == null || now - w.startMillis() >= window.toMillis() || w.failures() < allowed) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(window.toMillis() - (now - w.startMillis())));
    }

    private void count(Map<String, Window> map, String key, long now) {
        if (key == null) {
            return;
        }
        map.compute(key, (k, w) -> w == null || now - w.startMillis() >= window.toMillis() ? new Window(now, 1)
                : new Window(w.startMillis(), w.failures() + 1));
    }

    private static String key(String username) {
        return username == null ? null : username.trim().toLowerCase(Locale.ROOT);
    }
}
