package dev.switchboard.core.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root handler: stamps {@code X-Request-Id} on every answer, dispatches by path prefix, and turns any
 * failure that escapes a handler into a 500 without a stack trace.
 */
public final class GatewayHandler extends Handler.Abstract {

    /** Request attribute holding the request id. */
    public static final String REQUEST_ID = "switchboard.requestId";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final RequestIds ids = new RequestIds();
    private final Handler relay;
    private final Handler admin;
    private final Handler health;
    private final Handler console;
    private final Handler metrics;
    private final TrustedProxies proxies;

    /**
     * A root handler that trusts no proxy's {@code X-Forwarded-For}.
     *
     * @param relay serves {@code /v1/}
     * @param admin serves {@code /api/}
     * @param health serves {@code /health}
     * @param console serves everything else
     */
    public GatewayHandler(Handler relay, Handler admin, Handler health, Handler console) {
        this(relay, admin, health, console, TrustedProxies.NONE);
    }

    /**
     * @param relay serves {@code /v1/}
     * @param admin serves {@code /api/}
     * @param health serves {@code /health}
     * @param console serves everything else
     * @param proxies whose {@code X-Forwarded-For} names the client
     */
    public GatewayHandler(Handler relay, Handler admin, Handler health, Handler console, TrustedProxies proxies) {
        this(relay, admin, health, console, proxies, console);
    }

    /**
     * @param relay serves {@code /v1/}
     * @param admin serves {@code /api/}
     * @param health serves {@code /health}
     * @param console serves everything else
     * @param proxies whose {@code X-Forwarded-For} names the client
     * @param metrics serves {@code /metrics}
     */
    public GatewayHandler(Handler relay, Handler admin, Handler health, Handler console, TrustedProxies proxies,
            Handler metrics) {
        super(InvocationType.NON_BLOCKING);
        this.proxies = proxies;
        this.metrics = metrics;
        this.relay = relay;
        this.admin = admin;
        this.health = health;
        this.console = console;
        for (Handler h : new Handler[] {relay, admin, health, console, metrics}) {
            installBean(h);
        }
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        for (Handler h : new Handler[] {relay, admin, health, console, metrics}) {
            h.setServer(server);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String id = ids.next();
        request.setAttribute(REQUEST_ID, id);
        ClientAddress.resolve(request, proxies);
        response.getHeaders().put("X-Request-Id", id);
        String path = request.getHttpURI().getPath();
        Handler target = path.startsWith("/v1/") || path.equals("/v1") ? relay
                : path.startsWith("/api/") || path.equals("/api") ? admin
                : path.equals("/health") ? health
                : path.equals("/metrics") ? metrics
                : console;
        if (target.getInvocationType() == InvocationType.BLOCKING) {
            // Only the admin API may wait (for a commit); the rest runs where Jetty parsed the request, without a
            // hand-over to another thread.
            getServer().getThreadPool().execute(() -> serve(target, id, path, request, response, callback));
        } else {
            serve(target, id, path, request, response, callback);
        }
        return true;
    }

    private void serve(Handler target, String id, String path, Request request, Response response,
            Callback callback) {
        try {
            if (!target.handle(request, response, callback)) {
                Answers.error(response, callback, 404, "invalid_request_error", "unknown_url",
                        "Unknown request URL: " + request.getMethod() + " " + path);
            }
        } catch (Throwable t) {
            LOG.error("request {} {} {} failed: {}", id, request.getMethod(), path, t.toString(), t);
            if (!response.isCommitted()) {
                Answers.error(response, callback, 500, "server_error", "internal_error",
                        "internal error; the request id is " + id);
            } else {
                callback.failed(t);
            }
        }
    }
}
