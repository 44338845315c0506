package dev.switchboard.core.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches admin paths such as {@code channels/{id}/enable} to endpoints. A path that matches no route is a 404;
 * a route without the method is a 405 with {@code Allow}.
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    /**
     * A matched route.
     *
     * @param endpoint what to call, or null for a 405
     * @param params path parameters
     * @param allow methods the route has
     * @param access who may call it
     */
    record Match(Endpoint endpoint, Map<String, String> params, String allow, Access access) {
    }

    private record Route(String[] pattern, Map<String, Endpoint> methods, Map<String, Access> access) {
    }

    /**
     * @param method the HTTP method
     * @param pattern segments after {@code /api/}, e.g. {@code tokens/{id}}
     * @param endpoint the handler
     * @return this router
     */
    public Router add(String method, String pattern, Endpoint endpoint) {
        return add(Access.ADMIN, method, pattern, endpoint);
    }

    /**
     * @param access who may call the route
     * @param method the HTTP method
     * @param pattern segments after {@code /api/}
     * @param endpoint the handler
     * @return this router
     */
    public Router add(Access access, String method, String pattern, Endpoint endpoint) {
        String[] parts = pattern.split("/");
        for (Route r : routes) {
            if (String.join("/", r.pattern).equals(pattern)) {
                r.methods.put(method, endpoint);
                r.access.put(method, access);
                return this;
            }
        }
        Map<String, Endpoint> methods = new LinkedHashMap<>();
        methods.put(method, endpoint);
        Map<String, Access> accesses = new HashMap<>();
        accesses.put(method, access);
        routes.add(new Route(parts, methods, accesses));
        return this;
    }

    Match match(String method, List<String> segments) {
        for (Route r : routes) {
            if (r.pattern.length != segments.size()) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < r.pattern.length && ok; i++) {
                String p = r.pattern[i];
                if (p.startsWith("{")) {
                    String value = segments.get(i);
                    ok = !value.isEmpty();
                    params.put(p.substring(1, p.length() - 1), value);
                } else {
                    ok = p.equals(segments.get(i));
                }
            }
            if (ok) {
                String m = r.methods.containsKey(method) || !method.equals("HEAD") ? method : "GET";
                Endpoint e = r.methods.get(m);
                Access access = e == null ? r.access.values().stream().min(Enum::compareTo).orElse(Access.ADMIN)
                        : r.access.get(m);
                return new Match(e, params, String.join(", ", r.methods.keySet()), access);
            }
        }
        return null;
    }
}
