package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.auth.Authenticator;
import dev.switchboard.core.auth.Csrf;
import dev.switchboard.core.auth.LoginLimiter;
import dev.switchboard.core.auth.Sessions;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.user.UserBalances;
import dev.switchboard.core.user.UserJson;
import dev.switchboard.core.user.Users;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * {@code /api/auth}: console login (session cookie HttpOnly, SameSite=Strict, Secure behind TLS, plus a readable
 * CSRF cookie), logout, the caller ({@code me}), the caller's own access token and password.
 */
public final class AuthApi {

    private final Users users;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final UserBalances balances;
    private final AuditSink audit;

    /**
     * @param users the users
     * @param sessions console sessions
     * @param limiter failed-login limits
     * @param balances live quotas
     * @param audit where logins are recorded
     */
    public AuthApi(Users users, Sessions sessions, LoginLimiter limiter, UserBalances balances, AuditSink audit) {
        this.users = users;
        this.sessions = sessions;
        this.limiter = limiter;
        this.balances = balances;
        this.audit = audit;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add(Access.PUBLIC, "POST", "auth/login", this::login)
                .add(Access.USER, "POST", "auth/logout", this::logout)
                .add(Access.USER, "GET", "auth/me", this::me)
                .add(Access.USER, "POST", "auth/access-token", this::accessToken)
                .add(Access.USER, "PUT", "auth/password", this::password);
    }

    private ApiResult login(ApiCall call) {
        Request request = call.request();
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !Csrf.sameOrigin(request)) {
            throw new BadInput(403, "csrf_failed", null, "a login from another site's page is refused");
        }
        Fields f = Fields.of(call.json());
        String username = f.requiredString("username").trim();
        String password = f.requiredString("password");
        String address = Request.getRemoteAddr(request);
        Optional<Duration> wait = limiter.blocked(username, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            call.response().getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
            throw new BadInput(429, "too_many_login_attempts", null, "too many failed logins; try again in "
                    + seconds + " s");
        }
        Optional<UserRecord> user = users.byUsername(username);
        boolean ok = user.isPresent() ? users.passwords().verify(password, user.get().passwordHash())
                : dummy(password);
        if (!ok) {
            limiter.failed(username, address);
            audit.record(user.map(UserRecord::id).orElse(0L), "login failed for '" + username + "'", 401, address,
                    requestId(call));
            throw new BadInput(401, "invalid_credentials", null, "wrong user name or password");
        }
        if (!"enabled".equals(user.get().status())) {
            throw new BadInput(403, "user_disabled", null, "the user '" + username + "' is disabled");
        }
        limiter.succeeded(username);
        Sessions.Created s = sessions.create(user.get().id());
        boolean secure = request.isSecure()
                || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        long maxAge = sessions.ttl().toSeconds();
        Response.addCookie(call.response(), HttpCookie.build(Authenticator.SESSION_COOKIE, s.id()).path("/")
                .httpOnly(true).secure(secure).sameSite(HttpCookie.SameSite.STRICT).maxAge(maxAge).build());
        Response.addCookie(call.response(), HttpCookie.build(Authenticator.CSRF_COOKIE, s.session().csrfToken())
                .path("/").secure(secure).sameSite(HttpCookie.SameSite.STRICT).maxAge(maxAge).build());
        audit.record(user.get().id(), "login", 200, address, requestId(call));
        ObjectNode o = UserJson.of(balances.live(user.get()));
        o.put("csrf_token", s.session().csrfToken());
        o.put("session_expires_at", s.session().expiresAt());
        return ApiResult.ok(o);
    }

    private boolean dummy(String password) {
        users.passwords().dummyVerify(password);
        return false;
    }

    private ApiResult logout(ApiCall call) {
        sessions.remove(Authenticator.cookie(call.request(), Authenticator.SESSION_COOKIE));
        for (String name : new String[] {Authenticator.SESSION_COOKIE, Authenticator.CSRF_COOKIE}) {
            Response.addCookie(call.response(), HttpCookie.build(name, "").path("/")
                    .httpOnly(name.equals(Authenticator.SESSION_COOKIE)).sameSite(HttpCookie.SameSite.STRICT)
                    .maxAge(0).build());
        }
        return ApiResult.noContent();
    }

    private ApiResult me(ApiCall call) {
        UserRecord u = users.get(call.userId()).orElseThrow(() -> new BadInput(404, "not_found", null,
                "the caller's user record is missing"));
        ObjectNode o = UserJson.of(balances.live(u));
        if (call.principal().viaSession()) {
            o.put("csrf_token", call.principal().session().csrfToken());
            o.put("session_expires_at", call.principal().session().expiresAt());
        }
        return ApiResult.ok(o);
    }

    private ApiResult accessToken(ApiCall call) {
        if (call.userId() == Users.ROOT_ID) {
            throw BadInput.invalid(null, "root's access token is the admin token (setting admin_token)");
        }
        String key = users.issueAccessToken(call.userId()).orElseThrow();
        ObjectNode o = UserJson.of(balances.live(users.get(call.userId()).orElseThrow()));
        o.put("access_token", key);
        return ApiResult.created(o);
    }

    private ApiResult password(ApiCall call) {
        JsonNode input = call.json();
        Fields f = Fields.of(input);
        UserRecord u = users.get(call.userId()).orElseThrow();
        if (!users.passwords().verify(f.requiredString("old_password"), u.passwordHash())) {
            throw new BadInput(403, "invalid_credentials", "old_password", "old_password is not the current password");
        }
        users.setPassword(u.id(), f.requiredString("password"));
        sessions.removeUser(u.id());
        return ApiResult.noContent();
    }

    private static String requestId(ApiCall call) {
        return (String) call.request().getAttribute(GatewayHandler.REQUEST_ID);
    }
}
