package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's effective settings, checked and typed. Immutable; every key is documented in the shipped
 * {@code conf/switchboard.properties}.
 */
public final class Settings {

    /** Listening port of the relay, admin API and console. */
    public static final Setting<Integer> PORT = Setting.integer("port", 3000, 0, 65535);
    /** Listening address; empty for all interfaces. */
    public static final Setting<String> HOST = Setting.text("host", "");
    /** Where the store, the secret key file and caches live (relative to the home folder). */
    public static final Setting<String> DATA_DIR = Setting.text("data.dir", "data");
    /** The hot-deploy folder FileInstall watches (relative to the home folder). */
    public static final Setting<String> PLUGINS_DIR = Setting.text("plugins.dir", "plugins");
    /** How often FileInstall looks at the plugins folder. */
    public static final Setting<Duration> PLUGINS_POLL =
            Setting.duration("plugins.poll", "1s", Duration.ofMillis(100));
    /** Admin token; generated and printed once at first start when not set. */
    public static final Setting<String> ADMIN_TOKEN = Setting.secret("admin_token");
    /** Key that encrypts vendor keys at rest; a generated key file in the data folder when not set. */
    public static final Setting<String> SECRET_KEY = Setting.secret("secret_key");
    /** How long SIGTERM waits for in-flight requests and streams. */
    public static final Setting<Duration> SHUTDOWN_GRACE =
            Setting.duration("shutdown.grace", "30s", Duration.ZERO);
    /** Largest JSON request body. */
    public static final Setting<Long> LIMITS_MAX_BODY = Setting.size("limits.max_body", "32MiB");
    /** Largest audio upload (OpenAI's own limit is 25 MiB). */
    public static final Setting<Long> LIMITS_MAX_AUDIO = Setting.size("limits.max_audio", "25MiB");
    /** Deepest JSON nesting accepted in a request body. */
    public static final Setting<Integer> LIMITS_MAX_JSON_DEPTH = Setting.integer("limits.max_json_depth", 64, 4, 1000);
    /** Multipart uploads above this size are spooled to a temporary file. */
    public static final Setting<Long> LIMITS_SPOOL_THRESHOLD = Setting.size("limits.spool_threshold", "1MiB");
    /** Upstream connect timeout. */
    public static final Setting<Duration> TIMEOUT_CONNECT =
            Setting.duration("timeout.connect", "10s", Duration.ofMillis(1));
    /** Time allowed until the upstream's first byte. */
    public static final Setting<Duration> TIMEOUT_FIRST_BYTE =
            Setting.duration("timeout.first_byte", "300s", Duration.ofMillis(1));
    /** Longest silence between two stream events. */
    public static final Setting<Duration> TIMEOUT_IDLE = Setting.duration("timeout.idle", "120s", Duration.ofMillis(1));
    /** Longest a single upstream call may take. */
    public static final Setting<Duration> TIMEOUT_TOTAL = Setting.duration("timeout.total", "30m", Duration.ofMillis(1));
    /** Whether a first-byte timeout is retried on another channel (the vendor may bill the first attempt). */
    public static final Setting<Boolean> RETRY_ON_TIMEOUT = Setting.bool("retry_on_timeout", false);
    /** Most channels one request tries before it gives up (failover). */
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.integer("retry.max_attempts", 3, 1, 20);
    /** Longest one request may spend on its attempts before its answer starts (failover included). */
    public static final Setting<Duration> RETRY_MAX_TIME =
            Setting.duration("retry.max_time", "10m", Duration.ofMillis(1));
    /** Whether circuit breakers take failing channels out of routing for a while. */
    public static final Setting<Boolean> BREAKER_ENABLED = Setting.bool("breaker.enabled", true);
    /** How far back a circuit breaker counts requests and errors. */
    public static final Setting<Duration> BREAKER_WINDOW =
            Setting.duration("breaker.window", "60s", Duration.ofMillis(100));
    /** Fewest requests in the window before a circuit breaker may open. */
    public static final Setting<Integer> BREAKER_MIN_REQUESTS = Setting.integer("breaker.min_requests", 10, 1, 1_000_000);
    /** Error rate (percent) over the window that opens a circuit breaker. */
    public static final Setting<Integer> BREAKER_ERROR_RATE = Setting.integer("breaker.error_rate", 50, 1, 100);
    /** How long an open circuit breaker skips its channel before one probe request goes through. */
    public static final Setting<Duration> BREAKER_OPEN_FOR =
            Setting.duration("breaker.open_for", "30s", Duration.ofMillis(10));
    /** How often auto-disabled channels are re-tested (and re-enabled when they pass); 0 turns it off. */
    public static final Setting<Duration> HEALTH_RETEST_INTERVAL =
            Setting.duration("health.retest_interval", "0s", Duration.ZERO);
    /** Requests per minute of a token that sets no rpm; 0 for no limit. */
    public static final Setting<Integer> RATELIMIT_RPM = Setting.integer("ratelimit.rpm", 0, 0, Integer.MAX_VALUE);
    /** Tokens (prompt and completion) per minute of a token that sets no tpm; 0 for no limit. */
    public static final Setting<Integer> RATELIMIT_TPM = Setting.integer("ratelimit.tpm", 0, 0, Integer.MAX_VALUE);
    /** Concurrent requests of a token that sets no max_concurrency; 0 for no limit. */
    public static final Setting<Integer> RATELIMIT_MAX_CONCURRENCY =
            Setting.integer("ratelimit.max_concurrency", 0, 0, Integer.MAX_VALUE);
    /** Proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For is believed; empty for none. */
    public static final Setting<java.util.List<String>> PROXY_TRUSTED = Setting.addresses("proxy.trusted");
    /** Largest request head (request line and headers); larger ones are answered 431. */
    public static final Setting<Long> LIMITS_MAX_HEADER = Setting.size("limits.max_header", "16KiB");
    /** Browser origins allowed by CORS, comma-separated; empty turns CORS off. */
    public static final Setting<String> CORS_ALLOWED_ORIGINS = Setting.text("cors.allowed_origins", "");
    /** Comment line sent on a silent stream this often, so intermediaries keep the connection. */
    public static final Setting<Duration> STREAM_KEEPALIVE =
            Setting.duration("stream.keepalive", "15s", Duration.ofMillis(100));

    /** Password of the {@code root} user created at first start; when set later, it resets root's password. */
    public static final Setting<String> ROOT_PASSWORD = Setting.secret("root_password");
    /** Write-behind window of usage and logs: the most accounting a crash can lose. */
    public static final Setting<Duration> USAGE_FLUSH_WINDOW =
            Setting.duration("usage.flush_window", "100ms", Duration.ofMillis(1));
    /** Log entries (with their balances) kept in memory while the store cannot be written, e.g. a database outage. */
    public static final Setting<Integer> USAGE_BUFFER = Setting.integer("usage.buffer", 200_000, 1_000, 100_000_000);
    /** How long a console login lasts. */
    public static final Setting<Duration> SESSION_TTL = Setting.duration("session.ttl", "24h", Duration.ofSeconds(1));
    /** Failed logins of one user name within {@link #LOGIN_FAILURE_WINDOW} before further attempts wait. */
    public static final Setting<Integer> LOGIN_MAX_FAILURES_PER_USER =
            Setting.integer("login.max_failures_per_user", 5, 1, 1_000_000);
    /** Failed logins from one client address within {@link #LOGIN_FAILURE_WINDOW} before further attempts wait. */
    public static final Setting<Integer> LOGIN_MAX_FAILURES_PER_ADDRESS =
            Setting.integer("login.max_failures_per_address", 20, 1, 1_000_000);
    /** The window over which failed logins are counted. */
    public static final Setting<Duration> LOGIN_FAILURE_WINDOW =
            Setting.duration("login.failure_window", "15m", Duration.ofSeconds(1));
    /** How often the log retention job runs (the retention itself is the logs.retention_days setting). */
    public static final Setting<Duration> LOGS_RETENTION_CHECK =
            Setting.duration("logs.retention_check", "1h", Duration.ofMillis(100));
    /** Whether {@code GET /metrics} serves metrics in the Prometheus text format. */
    public static final Setting<Boolean> METRICS_ENABLED = Setting.bool("metrics.enabled", true);
    /** Who may read {@code /metrics}: {@code none} (no credential) or {@code admin} (the admin token). */
    public static final Setting<String> METRICS_AUTH = new Setting<>("metrics.auth", "none", s -> {
        String v = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("none") && !v.equals("admin")) {
            throw new IllegalArgumentException("'" + s + "' is not a choice; use none or admin");
        }
        return v;
    }, false);

    /** Where the state lives: {@code mapdb} (one file in the data folder) or {@code postgres} (shared by nodes). */
    public static final Setting<String> STORE_TYPE = Setting.choice("store.type", "mapdb", "mapdb", "postgres");
    /** The PostgreSQL store's JDBC URL (store.type=postgres). */
    public static final Setting<String> STORE_POSTGRES_URL = Setting.postgresUrl("store.postgres.url");
    /** The PostgreSQL store's role; empty to take it from the URL. */
    public static final Setting<String> STORE_POSTGRES_USER = Setting.text("store.postgres.user", "");
    /** The PostgreSQL store's password. */
    public static final Setting<String> STORE_POSTGRES_PASSWORD = Setting.secret("store.postgres.password");
    /** How often a node re-reads the whole shared configuration, beside change notifications (postgres only). */
    public static final Setting<Duration> STORE_POSTGRES_RESYNC =
            Setting.duration("store.postgres.resync", "60s", Duration.ofSeconds(1));
    /**
     * The usual slice of a token's or user's quota a node leases from the shared database (micro-units; postgres
     * only); a slice is at most a quarter of what is left, so nearly spent quotas are shared exactly.
     */
    public static final Setting<Integer> STORE_POSTGRES_LEASE_SIZE =
            Setting.integer("store.postgres.lease_size", 200_000, 1, Integer.MAX_VALUE);
    /** How long a leased slice may lie unused on a node before it goes back to the shared pool (postgres only). */
    public static final Setting<Duration> STORE_POSTGRES_LEASE_IDLE =
            Setting.duration("store.postgres.lease_idle", "10s", Duration.ofMillis(100));
    /** How often a node exchanges its tokens' rate-limit counts with the other nodes (postgres only). */
    public static final Setting<Duration> STORE_POSTGRES_RATE_SYNC =
            Setting.duration("store.postgres.rate_sync", "250ms", Duration.ofMillis(10));

    /** Every key the gateway knows. */
    public static final List<Setting<?>> ALL = List.of(PORT, HOST, DATA_DIR, PLUGINS_DIR, PLUGINS_POLL, ADMIN_TOKEN,
            SECRET_KEY, SHUTDOWN_GRACE, LIMITS_MAX_BODY, LIMITS_MAX_AUDIO, LIMITS_MAX_JSON_DEPTH,
            LIMITS_SPOOL_THRESHOLD, TIMEOUT_CONNECT, TIMEOUT_FIRST_BYTE, TIMEOUT_IDLE, TIMEOUT_TOTAL,
            RETRY_ON_TIMEOUT, RETRY_MAX_ATTEMPTS, CORS_ALLOWED_ORIGINS, STREAM_KEEPALIVE, RETRY_MAX_TIME,
            BREAKER_ENABLED, BREAKER_WINDOW, BREAKER_MIN_REQUESTS, BREAKER_ERROR_RATE, BREAKER_OPEN_FOR,
            HEALTH_RETEST_INTERVAL, RATELIMIT_RPM, RATELIMIT_TPM, RATELIMIT_MAX_CONCURRENCY, PROXY_TRUSTED,
            LIMITS_MAX_HEADER, ROOT_PASSWORD, USAGE_FLUSH_WINDOW, SESSION_TTL, LOGIN_MAX_FAILURES_PER_USER,
            LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_FAILURE_WINDOW, LOGS_RETENTION_CHECK, STORE_TYPE, STORE_POSTGRES_URL,
            STORE_POSTGRES_USER, STORE_POSTGRES_PASSWORD, STORE_POSTGRES_RESYNC, STORE_POSTGRES_LEASE_SIZE,
            STORE_POSTGRES_LEASE_IDLE, STORE_POSTGRES_RATE_SYNC, USAGE_BUFFER,
            METRICS_ENABLED, METRICS_AUTH);

    private final Path home;
    private final Map<String, Object> values;
    private final List<String> warnings;

    Settings(Path home, Map<String, Object> values, List<String> warnings) {
        this.home = home;
        this.values = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(values));
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The typed value of a key.
     *
     * @param setting the key
     * @param <T> the value type
     * @return the value, or {@code null} for an unset key without default
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.key());
    }

    /**
     * @param setting a key without default, such as {@link #ADMIN_TOKEN}
     * @return its value when set (and not blank)
     */
    public Optional<String> optional(Setting<String> setting) {
        String v = get(setting);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** @return the installation folder (where {@code bin/}, {@code conf/} and {@code system/} are) */
    public Path home() {
        return home;
    }

    /** @return the data folder, absolute */
    public Path dataDir() {
        return home.resolve(get(DATA_DIR)).toAbsolutePath().normalize();
    }

    /** @return the hot-deploy folder, absolute */
    public Path pluginsDir() {
        return home.resolve(get(PLUGINS_DIR)).toAbsolutePath().normalize();
    }

    /** @return the allowed CORS origins, empty when CORS is off */
    public List<String> corsOrigins() {
        return Arrays.stream(get(CORS_ALLOWED_ORIGINS).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    /** @return problems that did not stop start-up (unknown keys), each naming the key */
    public List<String> warnings() {
        return warnings;
    }
}
