package dev.switchboard.core.metrics;

import dev.switchboard.core.server.Answers;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: the Prometheus text format. Open by default (a scraper on the operator's network), or only
 * for the admin token ({@code metrics.auth = admin}).
 */
public final class MetricsHandler extends Handler.Abstract.NonBlocking {

    private final GatewayMetrics metrics;
    private final Predicate<Request> allowed;

    /**
     * @param metrics what to show
     * @param allowed whether a request may see it
     */
    public MetricsHandler(GatewayMetrics metrics, Predicate<Request> allowed) {
        this.metrics = metrics;
        this.allowed = allowed;
    }

    /** @return what {@code /metrics} answers with {@code metrics.enabled = false}: 404 saying so */
    public static Handler off() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Answers.error(response, callback, 404, "invalid_request_error", "metrics_disabled",
                        "metrics are turned off on this gateway (metrics.enabled = false)");
                return true;
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (Answers.refusedUnlessGet(request, response, callback, "/metrics")) {
            return true;
        }
        if (!allowed.test(request)) {
            Answers.error(response, callback, 401, "invalid_request_error", "invalid_api_key",
                    "/metrics needs the admin token (metrics.auth = admin): send 'Authorization: Bearer <admin token>'");
            return true;
        }
        byte[] body = metrics.scrape();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body),
                callback);
        return true;
    }
}
