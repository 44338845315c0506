package dev.switchboard.core.admin;

import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.server.Answers;
import dev.switchboard.core.store.StoreException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /api/}: checks the admin credential, routes, and writes answers and errors. Blocking by design
 * (endpoints wait for the store's commit), so it runs on a pooled thread, never a selector.
 */
public final class AdminHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final Router router;
    private final AdminAuth auth;
    private final long maxBody;

    /**
     * @param router the routes
     * @param auth the credential check
     * @param maxBody the largest JSON body accepted
     */
    public AdminHandler(Router router, AdminAuth auth, long maxBody) {
        this.router = router;
        this.auth = auth;
        this.maxBody = maxBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String path = request.getHttpURI().getPath();
        Router.Match match = router.match(request.getMethod(), ApiCall.segments(path));
        if (match == null) {
            Answers.error(response, callback, 404, "invalid_request_error", "unknown_url",
                    "Unknown admin URL: " + request.getMethod() + " " + path);
            return true;
        }
        if (!auth.allows(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            Answers.error(response, callback, 401, "invalid_request_error", "invalid_api_key",
                    "the admin API needs 'Authorization: Bearer <admin token>'");
            return true;
        }
        if (match.endpoint() == null) {
            response.getHeaders().put(HttpHeader.ALLOW, match.allow());
            Answers.error(response, callback, 405, "invalid_request_error", "method_not_allowed",
                    request.getMethod() + " is not allowed on " + path + "; allowed: " + match.allow());
            return true;
        }
        ApiCall call = new ApiCall(request, match.params(), Request.extractQueryParameters(request), maxBody);
        try {
            ApiResult result = match.endpoint().handle(call);
            Answers.json(response, callback, result.status(), result.body());
        } catch (BadInput e) {
            Answers.json(response, callback, e.status(),
                    Answers.error(e.getMessage(), Answers.typeFor(e.status()), e.code(), e.param()));
        } catch (StoreException e) {
            LOG.error("admin {} {}: {}", request.getMethod(), path, e.getMessage());
            Answers.error(response, callback, 503, "server_error", "store_unavailable",
                    "the change could not be saved: " + e.getMessage());
        } catch (UncheckedIOException e) {
            Answers.error(response, callback, 400, "invalid_request_error", "invalid_body",
                    "the body could not be read: " + e.getCause().getMessage());
        }
        return true;
    }
}
