package dev.switchboard.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.admin.AdminAuth;
import dev.switchboard.core.admin.AdminHandler;
import dev.switchboard.core.admin.ChannelTypesApi;
import dev.switchboard.core.admin.ChannelsApi;
import dev.switchboard.core.relay.ChannelTester;
import dev.switchboard.core.admin.Router;
import dev.switchboard.core.admin.TokensApi;
import dev.switchboard.core.admin.AuditSink;
import dev.switchboard.core.admin.AuthApi;
import dev.switchboard.core.admin.UsersApi;
import dev.switchboard.core.auth.Authenticator;
import dev.switchboard.core.auth.LoginLimiter;
import dev.switchboard.core.auth.Sessions;
import dev.switchboard.core.token.TokenBalances;
import dev.switchboard.core.user.Passwords;
import dev.switchboard.core.user.UserBalances;
import dev.switchboard.core.user.Users;
import java.time.Clock;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.health.Health;
import dev.switchboard.core.health.HealthHandler;
import dev.switchboard.core.server.ConsoleFallbackHandler;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.server.GatewayServer;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.upstream.HttpClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's real handler chain (admin API, health, console fallback) on a free loopback port, wired as
 * {@code Gateway} wires it but without OSGi: a MapDB store and key file in a test folder, a registry the
 * test fills with fake adapters, and the admin token {@value #ADMIN_TOKEN}.
 */
public final class AdminApiServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    /** Root's password in these tests. */
    public static final String ROOT_PASSWORD = "root-password-1";
    /** The body limit the admin API is built with here, as in {@code Gateway}. */
    public static final int MAX_BODY = 1024 * 1024;

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final AdapterRegistry adapters;
    private final MapDbStore store;
    private final Channels channels;
    private final Health health;
    private final GatewayServer server;
    private final HttpClient client;
    private final URI base;
    private final Optional<String> generatedAdminToken;
    private final Users users;
    private final Sessions sessions;
    private boolean closed;

    /**
     * Starts the server and marks it serving.
     *
     * @param dataDir where the store and key file go
     * @param adapters the installed channel types
     */
    public static AdminApiServer start(Path dataDir, AdapterRegistry adapters) {
        return start(dataDir, adapters, Optional.of(ADMIN_TOKEN));
    }

    /**
     * Starts the server with the given {@code admin_token} setting and marks it serving.
     *
     * @param adminToken the setting; empty to use the stored token, or generate one on first start
     */
    public static AdminApiServer start(Path dataDir, AdapterRegistry adapters, Optional<String> adminToken) {
        AdminApiServer s = new AdminApiServer(dataDir, adapters, adminToken);
        s.health.serving();
        return s;
    }

    /** Starts the server without marking it serving: {@code /health} says it is starting. */
    public static AdminApiServer startNotYetServing(Path dataDir, AdapterRegistry adapters) {
        return new AdminApiServer(dataDir, adapters, Optional.of(ADMIN_TOKEN));
    }

    private AdminApiServer(Path dataDir, AdapterRegistry adapters, Optional<String> adminToken) {
        this.dataDir = dataDir;
        this.adapters = adapters;
        this.store = new MapDbStore(dataDir.resolve("switchboard.db"));
        SecretBox secrets = SecretBox.open(Optional.empty(), dataDir.resolve("secret.key"));
        this.channels = new Channels(store, secrets, adapters);
        Tokens tokens = new Tokens(store);
        AdminAuth.Setup auth = AdminAuth.initialise(store, adminToken);
        this.generatedAdminToken = auth.generated();
        this.health = new Health(() -> true);
        // A low work factor keeps the tests quick; the hash format is the same.
        this.users = new Users(store, new Passwords(1000));
        users.ensureRoot(Optional.of(ROOT_PASSWORD));
        this.sessions = new Sessions(Duration.ofHours(1), Clock.systemUTC());
        LoginLimiter limiter = new LoginLimiter(3, 10, Duration.ofMinutes(15), Clock.systemUTC());

        Router router = new Router();
        HttpClients http = new HttpClients(Duration.ofSeconds(5));
        new ChannelsApi(channels, adapters, http, Duration.ofSeconds(5),
                new ChannelTester(channels, adapters, http, Duration.ofSeconds(5))).register(router);
        new ChannelTypesApi(adapters).register(router);
        new TokensApi(tokens, users, TokenBalances.NONE).register(router);
        new UsersApi(users, tokens, sessions, UserBalances.NONE, () -> 0).register(router);
        new AuthApi(users, sessions, limiter, UserBalances.NONE, AuditSink.NONE).register(router);
        Handler admin = new AdminHandler(router, new Authenticator(auth.auth()::matches, users, sessions), MAX_BODY,
                AuditSink.NONE);
        Handler relay = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        };
        GatewayHandler root = new GatewayHandler(relay, admin, new HealthHandler(health),
                new ConsoleFallbackHandler());
        server = new GatewayServer("127.0.0.1", 0, Duration.ofSeconds(5), root);
        try {
            server.start();
        } catch (Exception e) {
            store.close();
            throw new IllegalStateException("cannot start the test server", e);
        }
        base = URI.create("http://127.0.0.1:" + server.port());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @return the channel registry, for checks the API cannot show (the key in clear) */
    public Channels channels() {
        return channels;
    }

    /** @return the users */
    public Users users() {
        return users;
    }

    /** @return the console sessions */
    public Sessions sessions() {
        return sessions;
    }

    /** @return the base URI, e.g. {@code http://127.0.0.1:41234} */
    public URI base() {
        return base;
    }

    /** @return the admin token generated at this start, to be shown once, if one was */
    public Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    public AdapterRegistry adapters() {
        return adapters;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Health health() {
        return health;
    }

    /** @return a request to {@code path} carrying the admin token */
    public HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** @return a request to {@code path} without any credential */
    public HttpRequest.Builder anonymous(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if ("connection".equals(System.getProperty("jdk.httpclient.allowRestrictedHeaders"))) {
            // No idle keep-alive left for the graceful stop to wait out (see the surefire configuration).
            b.header("Connection", "close");
        }
        return b;
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply post(String path, JsonNode json) {
        return post(path, json.toString());
    }

    public Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, JsonNode json) {
        return put(path, json.toString());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    /** Closes the store under the running server, as a failing disk or a stop in progress would. */
    public void closeStoreOnly() {
        store.close();
    }

    /** Stops the server and closes the store (committed). Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop();
        store.close();
    }

    /** Parses test JSON written with single quotes for readability. */
    public static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
