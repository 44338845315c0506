package dev.switchboard.core.admin;

import dev.switchboard.core.auth.Authenticator;
import dev.switchboard.core.auth.Csrf;
import dev.switchboard.core.auth.Principal;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.server.Answers;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.user.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /api/}: finds the caller (admin token, personal access token or login cookie), checks CSRF for
 * cookie-authenticated changes and the route's role, routes, writes answers and errors, and records admin actions.
 * Blocking by design (endpoints wait for the store's commit), so it runs on a pooled thread, never a selector.
 */
public final class AdminHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Router router;
    private final Authenticator auth;
    private final long maxBody;
    private final AuditSink audit;

    /**
     * Only the admin token is known (no users, no sessions).
     *
     * @param router the routes
     * @param auth the admin credential check
     * @param maxBody the largest JSON body accepted
     */
    public AdminHandler(Router router, AdminAuth auth, long maxBody) {
        this(router, new Authenticator(auth::matches, null, null), maxBody, AuditSink.NONE);
    }

    /**
     * @param router the routes
     * @param auth finds the caller
     * @param maxBody the largest JSON body accepted
     * @param audit where admin actions are recorded
     */
    public AdminHandler(Router router, Authenticator auth, long maxBody, AuditSink audit) {
        this.router = router;
        this.auth = auth;
        this.maxBody = maxBody;
        this.audit = audit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String path = request.getHttpURI().getPath();
        Router.Match match = router.match(request.getMethod(), ApiCall.segments(path));
        if (match == null) {
            drain(request, response);
            Answers.error(response, callback, 404, "invalid_request_error", "unknown_url",
                    "Unknown admin URL: " + request.getMethod() + " " + path);
            return true;
        }
        Principal principal = null;
        if (match.access() != Access.PUBLIC) {
            Authenticator.Result who = auth.authenticate(request);
            if (who.principal() == null) {
                drain(request, response);
                if (who.status() == 401) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                }
                Answers.error(response, callback, who.status(), Answers.typeFor(who.status()), who.code(),
                        who.message());
                return true;
            }
            principal = who.principal();
            String csrf = match.endpoint() == null ? null : Csrf.check(request, principal);
            if (csrf != null) {
                drain(request, response);
                Answers.error(response, callback, 403, "permission_error", "csrf_failed", csrf);
                return true;
            }
            if (!allowed(match.access(), principal.role())) {
                drain(request, response);
                Answers.error(response, callback, 403, "permission_error", "forbidden",
                        request.getMethod() + " " + path + " needs the role "
                                + (match.access() == Access.ROOT ? "root" : "admin or root"));
                return true;
            }
        }
        if (match.endpoint() == null) {
            drain(request, response);
            response.getHeaders().put(HttpHeader.ALLOW, match.allow());
            Answers.error(response, callback, 405, "invalid_request_error", "method_not_allowed",
                    request.getMethod() + " is not allowed on " + path + "; allowed: " + match.allow());
            return true;
        }
        ApiCall call = new ApiCall(request, match.params(), Request.extractQueryParameters(request), maxBody,
                principal, response);
        int status;
        try {
            ApiResult result = match.endpoint().handle(call);
            if (request.getLength() >= 0 && request.getLength() <= maxBody) {
                drain(request, response);
            }
            status = result.status();
            if (result.file() != null) {
                sendFile(response, callback, result);
            } else {
                Answers.json(response, callback, result.status(), result.body());
            }
        } catch (BadInput e) {
            drain(request, response);
            status = e.status();
            Answers.json(response, callback, e.status(),
                    Answers.error(e.getMessage(), Answers.typeFor(e.status()), e.code(), e.param()));
        } catch (StoreException e) {
            status = 503;
            LOG.error("admin {} {}: {}", request.getMethod(), path, e.getMessage());
            Answers.error(response, callback, 503, "server_error", "store_unavailable",
                    "the change could not be saved: " + e.getMessage());
        } catch (UncheckedIOException e) {
            status = 400;
            Answers.error(response, callback, 400, "invalid_request_error", "invalid_body",
                    "the body could not be read: " + e.getCause().getMessage());
        }
        if (principal != null && !READS.contains(request.getMethod()) && status < 400) {
            audit.record(principal.userId(), request.getMethod() + " " + path, status,
                    Request.getRemoteAddr(request), (String) request.getAttribute(GatewayHandler.REQUEST_ID));
        }
        return true;
    }

    /**
     * Reads what is left of a body the answer does not need (a refusal before the endpoint read it), so the
     * connection can carry the client's next request; one too large to read is closed after the answer instead.
     */
    private void drain(Request request, Response response) {
        long declared = request.getLength();
        if (declared == 0 || response.isCommitted()) {
            return;
        }
        if (declared < 0 || declared > maxBody) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return;
        }
        try {
            Content.Source.consumeAll(request);
        } catch (IOException | RuntimeException e) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    private static boolean allowed(Access access, Role role) {
        return switch (access) {
            case PUBLIC, USER -> true;
            case ADMIN -> role.isAdmin();
            case ROOT -> role == Role.ROOT;
        };
    }

    private static void sendFile(Response response, Callback callback, ApiResult result) {
        try {
            response.setStatus(result.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(result.file()));
            response.getHeaders().put("Content-Disposition", "attachment; filename=\"" + result.fileName() + "\"");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                Files.copy(result.file(), out);
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } finally {
            try {
                Files.deleteIfExists(result.file());
            } catch (IOException ignored) {
                // A stray temporary file in the cache folder, emptied at the next start.
            }
        }
    }
}
