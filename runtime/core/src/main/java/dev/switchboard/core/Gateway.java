package dev.switchboard.core;

import dev.switchboard.config.Settings;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.admin.AdminAuth;
import dev.switchboard.core.admin.AdminHandler;
import dev.switchboard.core.admin.AuditSink;
import dev.switchboard.core.admin.AuthApi;
import dev.switchboard.core.admin.BackupApi;
import dev.switchboard.core.admin.ChannelTypesApi;
import dev.switchboard.core.admin.ChannelsApi;
import dev.switchboard.core.admin.LogsApi;
import dev.switchboard.core.admin.PluginsApi;
import dev.switchboard.core.admin.PricesApi;
import dev.switchboard.core.admin.Router;
import dev.switchboard.core.admin.TokensApi;
import dev.switchboard.core.admin.UsersApi;
import dev.switchboard.core.auth.Authenticator;
import dev.switchboard.core.auth.LoginLimiter;
import dev.switchboard.core.auth.Sessions;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.cluster.ChangeFeed;
import dev.switchboard.core.cluster.Replica;
import dev.switchboard.core.health.Health;
import dev.switchboard.core.health.HealthHandler;
import dev.switchboard.core.metrics.GatewayMetrics;
import dev.switchboard.core.metrics.MetricsHandler;
import dev.switchboard.core.monitor.BreakerSettings;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.monitor.Retester;
import dev.switchboard.core.plugin.PluginManager;
import dev.switchboard.core.pricing.Groups;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.pricing.Unpriced;
import dev.switchboard.core.quota.Estimator;
import dev.switchboard.core.quota.Ledger;
import dev.switchboard.core.quota.QuotaGate;
import dev.switchboard.core.quota.Tokenizer;
import dev.switchboard.core.ratelimit.RateLimits;
import dev.switchboard.core.ratelimit.SharedCounts;
import dev.switchboard.core.relay.ChannelTester;
import dev.switchboard.core.relay.MonitoredHealth;
import dev.switchboard.core.relay.RelayMeter;
import dev.switchboard.core.relay.OutcomeSink;
import dev.switchboard.core.relay.RelayContext;
import dev.switchboard.core.relay.RelayHandler;
import dev.switchboard.core.relay.RelayLimits;
import dev.switchboard.core.relay.RequestLog;
import dev.switchboard.core.routing.PriorityRouter;
import dev.switchboard.core.server.ConsoleFallbackHandler;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.server.GatewayServer;
import dev.switchboard.core.server.TrustedProxies;
import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.PostgresConnection;
import dev.switchboard.core.store.PostgresStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.upstream.HttpClients;
import dev.switchboard.core.usage.LogBook;
import dev.switchboard.core.usage.Retention;
import dev.switchboard.core.usage.UsageRecorder;
import dev.switchboard.core.user.Passwords;
import dev.switchboard.core.user.Users;
import dev.switchboard.core.web.SiteHandler;
import dev.switchboard.core.web.Sites;
import dev.switchboard.launcher.spi.RuntimeControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: opens the store, loads channels and tokens into memory, and serves the relay, the admin API and
 * health on one Jetty server. Deactivation drains requests in flight, then commits and closes the store.
 */
@Component(immediate = true, service = {})
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final RuntimeControl control;
    private final Thread starting;
    private Store store;
    private HttpClients http;
    private PluginManager plugins;
    private GatewayServer server;
    private Health health;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile boolean tokenizerSettled;
    private ScheduledThreadPoolExecutor monitor;
    private Channels channels;
    private RequestLog requestLog;
    private ScheduledThreadPoolExecutor housekeeping;
    private UsageRecorder usage;
    private ChangeFeed changes;
    private Ledger ledger;
    private ScheduledThreadPoolExecutor leaser;

    /**
     * @param settings the launcher's settings
     * @param control the launcher
     * @param adapters the installed channel types
     * @param sites the web sites bundles offer (the console)
     * @param context the core bundle's context
     */
    @Activate
    public Gateway(@Reference Settings settings, @Reference RuntimeControl control,
            @Reference AdapterRegistry adapters, @Reference Sites sites, BundleContext context) {
        this.control = control;
        // Started on a thread of its own, so the framework's start-level thread is free at once: it goes on to
        // resolve and start the plugins FileInstall found, which then load beside the core instead of after it.
        starting = new Thread(() -> {
            try {
                start(settings, adapters, sites, context);
            } catch (Exception e) {
                stop();
                control.fatal("cannot start: " + describe(e));
            }
        }, "switchboard-start");
        starting.start();
    }

    private void start(Settings settings, AdapterRegistry adapters, Sites sites, BundleContext context) throws Exception {
        store = openStore(settings);
        SecretBox secrets = SecretBox.open(settings.optional(Settings.SECRET_KEY),
                settings.dataDir().resolve("secret.key"));
        channels = new Channels(store, secrets, adapters);
        Tokens tokens = new Tokens(store);
        AdminAuth.Setup auth = AdminAuth.initialise(store, settings.optional(Settings.ADMIN_TOKEN));
        Users users = new Users(store, Passwords.standard());
        Sessions sessions = new Sessions(settings.get(Settings.SESSION_TTL), Clock.systemUTC());
        Prices prices = new Prices(store);
        Groups groups = new Groups(store);
        RuntimeSettings runtime = new RuntimeSettings(store);
        Unpriced unpriced = new Unpriced(store, prices);
        Ledger ledger;
        if (store instanceof PostgresStore shared) {
            ledger = leasingLedger(settings, shared, users);

            // Other nodes' changes (a channel disabled, a token revoked, a price) reach this node's memory.
            changes = new ChangeFeed(shared, new Replica(shared, new Replica.Registries(channels, tokens, users,
                    prices, groups, runtime, ledger)), settings.get(Settings.STORE_POSTGRES_RESYNC));
        } else {
            ledger = new Ledger(id -> users.get(id).orElse(null),
                    id -> channels.get(id).map(ChannelRecord::usedQuota).orElse(0L));
        }
        Tokenizer tokenizer = new Tokenizer();
        usage = new UsageRecorder(store, ledger, tokenizer, unpriced,
                new UsageRecorder.Registries(tokens, users, channels), settings.get(Settings.USAGE_FLUSH_WINDOW),
                settings.get(Settings.USAGE_BUFFER), Clock.systemUTC());
        AuditSink audit = usage::audit;
        Retention retention = new Retention(store, runtime, Clock.systemUTC());
        housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-retention");
            t.setDaemon(true);
            return t;
        });
        long every = settings.get(Settings.LOGS_RETENTION_CHECK).toMillis();
        housekeeping.scheduleWithFixedDelay(retention, Math.min(every, 10_000), every, TimeUnit.MILLISECONDS);
        // Both encodings load once the server runs (below), off the relay's threads; estimates guess until then.
        tokenizer.guessUntilLoaded();
        LoginLimiter limiter = new LoginLimiter(settings.get(Settings.LOGIN_MAX_FAILURES_PER_USER),
                settings.get(Settings.LOGIN_MAX_FAILURES_PER_ADDRESS), settings.get(Settings.LOGIN_FAILURE_WINDOW),
                Clock.systemUTC());

        http = new HttpClients(settings.get(Settings.TIMEOUT_CONNECT));
        http.start();
        plugins = new PluginManager(context, settings.pluginsDir());
        // Ready once the start-up plugins are in and estimates are exact (the encodings loaded, or given up on).
        health = new Health(() -> plugins.processed(control.startupPlugins()) && tokenizerSettled);

        Router router = new Router();
        ChannelTester tester = new ChannelTester(channels, adapters, http, Duration.ofSeconds(60));
        new ChannelsApi(channels, adapters, http, Duration.ofSeconds(30), tester).register(router);
        new ChannelTypesApi(adapters).register(router);
        new TokensApi(tokens, users, ledger).register(router);
        new UsersApi(users, tokens, sessions, ledger, runtime::usersDefaultQuota).register(router);
        new AuthApi(users, sessions, limiter, ledger, audit).register(router);
        new PricesApi(prices, unpriced, groups, runtime).register(router);
        new LogsApi(new LogBook(store), retention).register(router);
        new BackupApi(store, settings.dataDir().resolve("cache")).register(router);
        new PluginsApi(plugins, adapters, settings.dataDir().resolve("cache")).register(router);
        Handler admin = new AdminHandler(router, new Authenticator(auth.auth()::matches, users, sessions), 1024 * 1024,
                audit);
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "relay-watchdog");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        Path uploads = emptied(settings.dataDir().resolve("cache").resolve("uploads"));
        Breakers breakers = new Breakers(breakerSettings(settings));
        RateLimits rateLimits = rateLimits(settings);
        requestLog = new RequestLog();
        RequestLog log = requestLog;
        UsageRecorder recorder = usage;
        OutcomeSink outcomes = o -> {
            rateLimits.consumed(o.tokenId(), o.usage().totalTokens());
            log.settle(o);
            recorder.settle(o);
        };
        GatewayMetrics metrics = settings.get(Settings.METRICS_ENABLED) ? new GatewayMetrics(breakers) : null;
        if (metrics != null) {
            usage.watch(metrics.settled());
        }
        RelayContext relayContext = new RelayContext(RelayLimits.from(settings), http, scheduler, outcomes,
                new MonitoredHealth(channels, breakers),
                new QuotaGate(users, prices, groups, runtime, new Estimator(tokenizer), ledger),
                metrics == null ? RelayMeter.NONE : metrics.meter());
        Handler relay = new RelayHandler(tokens, new PriorityRouter(channels, adapters, breakers), channels,
                relayContext, settings.corsOrigins(), uploads, rateLimits);
        GatewayHandler root = new GatewayHandler(relay, admin, new HealthHandler(health),
                new SiteHandler(sites, new ConsoleFallbackHandler()),
                new TrustedProxies(settings.get(Settings.PROXY_TRUSTED)),
                metrics == null ? MetricsHandler.off() : new MetricsHandler(metrics,
                        settings.get(Settings.METRICS_AUTH).equals("admin") ? auth.auth()::allows : request -> true));
        server = new GatewayServer(settings.get(Settings.HOST), settings.get(Settings.PORT),
                settings.get(Settings.SHUTDOWN_GRACE), root, (int) Math.min(Integer.MAX_VALUE,
                settings.get(Settings.LIMITS_MAX_HEADER)));
        startMonitor(settings, tester, breakers);
        server.start();
        housekeeping.execute(() -> loadEncodings(tokenizer));
        // Root is made once the server runs, so a first start that fails (a taken port) leaves no password unseen.
        // A later start only checks a configured root_password (a slow hash), off the start-up path.
        Optional<String> configuredRoot = settings.optional(Settings.ROOT_PASSWORD);
        Optional<String> rootPassword = Optional.empty();
        if (users.get(Users.ROOT_ID).isEmpty()) {
            rootPassword = users.ensureRoot(configuredRoot);
        } else if (configuredRoot.isPresent()) {
            housekeeping.execute(() -> users.ensureRoot(configuredRoot));
        }
        health.serving();
        announce(settings, auth, rootPassword);
    }

    /**
     * Loads the tokenizer's encodings: a second or two of CPU that, during the start, made it 1.2 s slower on a
     * 2-core machine; the relay serves meanwhile, its estimates guessed.
     */
    private void loadEncodings(Tokenizer tokenizer) {
        try {
            tokenizer.load();
        } catch (RuntimeException e) {
            LOG.warn("the tokenizer's encodings could not be loaded ({}); estimates stay approximate", e.toString());
        } finally {
            tokenizerSettled = true;
        }
    }

    /** The embedded MapDB file, or the PostgreSQL database several nodes share (store.type). */
    private static Store openStore(Settings s) {
        if ("postgres".equals(s.get(Settings.STORE_TYPE))) {
            return new PostgresStore(new PostgresConnection(s.get(Settings.STORE_POSTGRES_URL),
                    s.get(Settings.STORE_POSTGRES_USER).isBlank() ? null : s.get(Settings.STORE_POSTGRES_USER),
                    s.optional(Settings.STORE_POSTGRES_PASSWORD).orElse(null)));
        }
        return new MapDbStore(s.dataDir().resolve("switchboard.db"));
    }

    private static BreakerSettings breakerSettings(Settings s) {
        Duration openFor = s.get(Settings.BREAKER_OPEN_FOR);
        // A probe that never reports (its request vanished) lets another through after this long.
        Duration probeTimeout = s.get(Settings.TIMEOUT_FIRST_BYTE).compareTo(openFor) > 0
                ? s.get(Settings.TIMEOUT_FIRST_BYTE) : openFor;
        return new BreakerSettings(s.get(Settings.BREAKER_ENABLED), s.get(Settings.BREAKER_WINDOW),
                s.get(Settings.BREAKER_MIN_REQUESTS), s.get(Settings.BREAKER_ERROR_RATE), openFor, probeTimeout);
    }

    /** Channel upkeep off the relay's path: response times stored in batches, idle breakers dropped, re-tests. */
    private void startMonitor(Settings settings, ChannelTester tester, Breakers breakers) {
        monitor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "channel-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(() -> guarded("storing response times", () -> {
            channels.flushResponseTimes();
            breakers.sweep();
        }), 30, 30, TimeUnit.SECONDS);
        Duration every = settings.get(Settings.HEALTH_RETEST_INTERVAL);
        if (!every.isZero()) {
            Retester retest = new Retester(channels, c -> tester.test(c, null).path("success").asBoolean(false),
                    breakers);
            monitor.scheduleWithFixedDelay(() -> guarded("re-testing auto-disabled channels", retest),
                    every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("auto-disabled channels are re-tested every {} s", every.toMillis() / 1000.0);
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.toString());
        }
    }

    private void announce(Settings settings, AdminAuth.Setup auth, Optional<String> rootPassword) {
        String host = settings.get(Settings.HOST).isBlank() ? "localhost" : settings.get(Settings.HOST);
        String url = "http://" + host + ":" + server.port() + "/";
        LOG.info("Switchboard is serving on {} (relay {}v1/, admin API {}api/, console {})", url, url, url, url);
        auth.generated().ifPresent(token -> System.out.println(String.join(System.lineSeparator(),
                "",
                "  Switchboard first start: an admin token was generated. It is shown only this once.",
                "    console and admin API: " + url,
                "    admin token:           " + token,
                "  Use it as 'Authorization: Bearer <token>'. Set SWITCHBOARD_ADMIN_TOKEN to choose your own.",
                "")));
        rootPassword.ifPresent(password -> System.out.println(String.join(System.lineSeparator(),
                "",
                "  Switchboard first start: the user 'root' was created. Its password is shown only this once.",
                "    console login:         " + url,
                "    root password:         " + password,
                "  Set SWITCHBOARD_ROOT_PASSWORD to choose your own (it resets root's password at the next start).",
                "")));
    }

    @Deactivate
    void deactivate() {
        // A stop during the start waits for it; what it opened is then closed in order below.
        awaitQuietly(starting);
        LOG.info("stopping: draining requests in flight");
        stop();
        LOG.info("stopped; the store is committed and closed");
    }

    private static void awaitQuietly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (health != null) {
            health.stopping();
        }
        if (server != null) {
            server.stop();
        }
        if (monitor != null) {
            monitor.shutdownNow();
        }
        if (channels != null && store != null) {
            guarded("storing response times", channels::flushResponseTimes);
        }
        if (requestLog != null) {
            requestLog.close();
        }
        if (plugins != null) {
            plugins.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (http != null) {
            try {
                http.stop();
            } catch (Exception e) {
                LOG.warn("stopping the upstream clients: {}", e.toString());
            }
        }
        if (housekeeping != null) {
            // Its task may be running (the encodings loading from this bundle, a retention pass on the store): it
            // ends before the store closes and the bundle goes, not after with a warning about missing resources.
            housekeeping.shutdownNow();
            try {
                housekeeping.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (changes != null) {
            changes.close();
        }
        if (usage != null) {
            // After the drain: the last window of usage is committed before the store closes.
            usage.close();
        }
        if (leaser != null) {
            // A lease on its way completes first, so its slice is given back with the others.
            leaser.shutdown();
            try {
                leaser.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            guarded("giving leased quota back", () -> ledger.giveBack(Long.MAX_VALUE));
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * Quota leased in slices from the shared database, leased ahead and given back when idle on a thread of its own.
     */
    private Ledger leasingLedger(Settings settings, PostgresStore shared, Users users) {
        leaser = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-quota-leases");
            t.setDaemon(true);
            return t;
        });
        ledger = Ledger.leasing(id -> users.get(id).orElse(null), shared,
                settings.get(Settings.STORE_POSTGRES_LEASE_SIZE), leaser);
        long idle = settings.get(Settings.STORE_POSTGRES_LEASE_IDLE).toNanos();
        Ledger leased = ledger;
        leaser.scheduleWithFixedDelay(() -> guarded("giving idle quota back",
                () -> leased.giveBack(System.nanoTime() - idle)), idle, idle / 2, TimeUnit.NANOSECONDS);
        return ledger;
    }

    /**
     * Per node with MapDB; with PostgreSQL the nodes lease slices of each token's requests per minute and exchange
     * their token counts, so a token's limits hold across them.
     */
    private RateLimits rateLimits(Settings settings) {
        int rpm = settings.get(Settings.RATELIMIT_RPM);
        int tpm = settings.get(Settings.RATELIMIT_TPM);
        int concurrency = settings.get(Settings.RATELIMIT_MAX_CONCURRENCY);
        if (!(store instanceof PostgresStore shared)) {
            return new RateLimits(rpm, tpm, concurrency);
        }
        RateLimits limits = RateLimits.shared(rpm, tpm, concurrency, shared, leaser);
        SharedCounts exchange = new SharedCounts(limits, shared);
        long every = settings.get(Settings.STORE_POSTGRES_RATE_SYNC).toMillis();
        leaser.scheduleWithFixedDelay(() -> {
            try {
                exchange.run();
            } catch (StoreException e) {
                // A database outage: each node counts alone meanwhile (the feed and the usage writer say so).
                LOG.debug("exchanging rate-limit counts failed: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return limits;
    }

    /** A spool folder, emptied of what a crashed run left. */
    private static Path emptied(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        return dir;
    }

    private static String describe(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getMessage() != null && c.getMessage().equals(c.getCause().toString())) {
            c = c.getCause();
        }
        if (c instanceof java.io.IOException && c.getMessage() != null && c.getMessage().contains("bind")) {
            return c.getMessage() + " (is the port taken? set 'port' or SWITCHBOARD_PORT)";
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
