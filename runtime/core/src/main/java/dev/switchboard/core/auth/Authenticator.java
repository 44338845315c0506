package dev.switchboard.core.auth;

import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.user.Role;
import dev.switchboard.core.user.Users;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Finds the caller of an admin request: {@code Authorization: Bearer} with the admin token (root's access token) or
 * a user's personal access token, else the session cookie. Each lookup is a SHA-256 and a map read.
 */
public final class Authenticator {

    /** Name of the HttpOnly session cookie. */
    public static final String SESSION_COOKIE = "sb_session";
    /** Name of the cookie the console reads its CSRF token from. */
    public static final String CSRF_COOKIE = "sb_csrf";

    private final Predicate<String> adminToken;
    private final Users users;
    private final Sessions sessions;

    /**
     * The outcome: a principal, or the status and code to refuse with.
     *
     * @param principal the caller, or {@code null}
     * @param status 401 or 403 when refused
     * @param code the error code
     * @param message what to do
     */
    public record Result(Principal principal, int status, String code, String message) {
        static Result of(Principal p) {
            return new Result(p, 200, null, null);
        }
    }

    /**
     * @param adminToken whether a presented bearer token is the admin token
     * @param users the users, or {@code null} where only the admin token is known
     * @param sessions the console sessions, or {@code null}
     */
    public Authenticator(Predicate<String> adminToken, Users users, Sessions sessions) {
        this.adminToken = adminToken;
        this.users = users;
        this.sessions = sessions;
    }

    /**
     * @param request an admin request
     * @return who it is from, or why it is refused
     */
    public Result authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
                return refused();
            }
            String token = header.substring(7).trim();
            if (adminToken.test(token)) {
                UserRecord root = users == null ? null : users.get(Users.ROOT_ID).orElse(null);
                return Result.of(new Principal(Users.ROOT_ID, root == null ? Users.ROOT_NAME : root.username(),
                        Role.ROOT, null));
            }
            Optional<UserRecord> u = users == null ? Optional.empty() : users.byAccessToken(token);
            return u.map(user -> enabled(user, null)).orElseGet(Authenticator::refused);
        }
        String cookie = cookie(request, SESSION_COOKIE);
        if (cookie != null && sessions != null) {
            Optional<Sessions.Session> s = sessions.find(cookie);
            if (s.isPresent()) {
                Optional<UserRecord> u = users.get(s.get().userId());
                if (u.isPresent()) {
                    return enabled(u.get(), s.get());
                }
            }
            return new Result(null, 401, "session_expired", "the session has expired or ended; log in again");
        }
        return refused();
    }

    private static Result enabled(UserRecord u, Sessions.Session session) {
        if (!"enabled".equals(u.status())) {
            return new Result(null, 403, "user_disabled", "the user '" + u.username() + "' is disabled");
        }
        Role role = Role.parse(u.role());
        return Result.of(new Principal(u.id(), u.username(), role == null ? Role.USER : role, session));
    }

    private static Result refused() {
        return new Result(null, 401, "invalid_api_key", "the admin API needs 'Authorization: Bearer <admin token "
                + "or personal access token>' or a console login");
    }

    /**
     * @param request a request
     * @param name a cookie name
     * @return its value, or {@code null}
     */
    public static String cookie(Request request, String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        if (cookies == null) {
            return null;
        }
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }
}
