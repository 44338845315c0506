package dev.switchboard.core.relay;

import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** CORS for browser clients of the relay; off unless {@code cors.allowed_origins} lists origins (or {@code *}). */
final class Cors {

    private final List<String> origins;

    Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    /** Adds the CORS headers for an allowed origin. @return whether the origin is allowed */
    boolean apply(Request request, Response response) {
        if (origins.isEmpty()) {
            return false;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || !(origins.contains("*") || origins.contains(origin))) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.getHeaders().add(HttpHeader.VARY, "Origin");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Request-Id");
        return true;
    }

    /** @return whether the request is a preflight this gateway answers (with 204) */
    boolean preflight(Request request, Response response) {
        if (!request.getMethod().equals("OPTIONS") || request.getHeaders().get("Access-Control-Request-Method") == null
                || !apply(request, response)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type, api-key, X-Switchboard-Channel");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, 600);
        response.setStatus(204);
        return true;
    }
}
