package dev.switchboard.core.web;

import dev.switchboard.core.server.Answers;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Maps request paths to a site's relative paths, refusing anything that could step outside the site. */
final class SitePaths {

    private SitePaths() {
    }

    /**
     * @param decodedPath the request's decoded path, e.g. {@code /console/js/app.js}
     * @return the path within the site ({@code js/app.js}; empty for the root), or null when it is not a safe
     *     path: {@code .} or {@code ..} segments, empty segments, backslashes or control characters
     */
    static String relative(String decodedPath) {
        String p = decodedPath.startsWith("/console/") ? decodedPath.substring("/console/".length())
                : decodedPath.startsWith("/") ? decodedPath.substring(1) : null;
        if (p == null) {
            return null;
        }
        if (p.isEmpty()) {
            return p;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                return null;
            }
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return p;
    }

    /** @return whether a path names a page of the app (no file extension in its last segment) */
    static boolean isAppRoute(String relative) {
        return !relative.substring(relative.lastIndexOf('/') + 1).contains(".");
    }

    static boolean reject(Response response, Callback callback, int status, String code, String message) {
        Answers.error(response, callback, status, "invalid_request_error", code, message);
        return true;
    }
}
