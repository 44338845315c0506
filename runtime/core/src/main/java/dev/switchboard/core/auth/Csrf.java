package dev.switchboard.core.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Cross-site request forgery checks for cookie-authenticated changes: the session's CSRF token in the
 * {@value #HEADER} header (a page on another site cannot read it) and an {@code Origin} naming this host. Requests
 * with a bearer token need neither: browsers never add that header on their own.
 */
public final class Csrf {

    /** The header carrying the CSRF token. */
    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private Csrf() {
    }

    /**
     * @param request the request
     * @param principal its caller
     * @return {@code null} when allowed, else what is wrong
     */
    public static String check(Request request, Principal principal) {
        if (!principal.viaSession() || SAFE.contains(request.getMethod())) {
            return null;
        }
        String token = request.getHeaders().get(HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                principal.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return "a change made with the login cookie needs the header " + HEADER
                    + " (its value is csrf_token of /api/auth/me, or the cookie " + Authenticator.CSRF_COOKIE + ")";
        }
        return sameOrigin(request) ? null
                : "the Origin header must name this server for a change made with the login cookie";
    }

    /**
     * @param request a request
     * @return whether its {@code Origin} is present and names the host it was sent to
     */
    public static boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return false;
        }
        String host = request.getHeaders().get("X-Forwarded-Host");
        if (host == null) {
            host = request.getHeaders().get(HttpHeader.HOST);
        }
        if (host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin.trim());
            String authority = o.getRawAuthority();
            return authority != null && authority.toLowerCase(Locale.ROOT)
                    .equals(host.split(",")[0].trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
