package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.auth.Sessions;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Role;
import dev.switchboard.core.user.UserBalances;
import dev.switchboard.core.user.UserJson;
import dev.switchboard.core.user.Users;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code /api/users}: admins manage plain users; only root creates, changes or deletes admins and hands out the
 * admin role. Deleting a user deletes their tokens and ends their sessions; disabling one ends their sessions.
 */
public final class UsersApi {

    private final Users users;
    private final Tokens tokens;
    private final Sessions sessions;
    private final UserBalances balances;
    private final LongSupplier defaultQuota;

    /**
     * @param users the users
     * @param tokens the tokens (a deleted user's go too)
     * @param sessions console sessions
     * @param balances live quotas
     * @param defaultQuota the quota of a new user that names none
     */
    public UsersApi(Users users, Tokens tokens, Sessions sessions, UserBalances balances, LongSupplier defaultQuota) {
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.balances = balances;
        this.defaultQuota = defaultQuota;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add("GET", "users", this::list)
                .add("POST", "users", this::create)
                .add("GET", "users/{user_id}", call -> ApiResult.ok(view(found(call))))
                .add("PUT", "users/{user_id}", this::update)
                .add("DELETE", "users/{user_id}", this::delete)
                .add("POST", "users/{user_id}/access-token", this::accessToken);
    }

    private ApiResult list(ApiCall call) {
        String q = call.queryValue("q");
        String role = call.queryValue("role");
        String status = call.queryValue("status");
        List<UserRecord> all = users.list().stream()
                .filter(u -> q == null || u.username().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                .filter(u -> role == null || u.role().equals(role))
                .filter(u -> status == null || u.status().equals(status))
                .toList();
        return ApiResult.ok(Pages.of(call, all, this::view));
    }

    private ApiResult create(ApiCall call) {
        JsonNode input = call.json();
        requireRootFor(call, input.path("role").asText("user"));
        return ApiResult.created(view(users.create(input, defaultQuota.getAsLong())));
    }

    private ApiResult update(ApiCall call) {
        UserRecord existing = found(call);
        JsonNode input = call.json();
        requireRootFor(call, existing.role());
        if (input.has("role")) {
            requireRootFor(call, input.path("role").asText());
        }
        UserRecord saved = users.update(existing.id(), input).orElseThrow(() -> missing(call));
        if (!saved.status().equals("enabled") || input.has("password")) {
            sessions.removeUser(saved.id());
        }
        if (input.has("quota")) {
            balances.quotaChanged(saved);
        } else if (saved.unlimitedQuota() != existing.unlimitedQuota()) {
            balances.unlimitedChanged(saved);
        }
        return ApiResult.ok(view(saved));
    }

    private ApiResult delete(ApiCall call) {
        UserRecord existing = found(call);
        requireRootFor(call, existing.role());
        if (existing.id() == call.userId()) {
            throw BadInput.invalid(null, "you cannot delete yourself");
        }
        for (TokenRecord t : tokens.list()) {
            if (t.userId() == existing.id()) {
                tokens.delete(t.id());
            }
        }
        users.delete(existing.id());
        sessions.removeUser(existing.id());
        return ApiResult.noContent();
    }

    private ApiResult accessToken(ApiCall call) {
        UserRecord existing = found(call);
        requireRootFor(call, existing.role());
        if (existing.id() == Users.ROOT_ID) {
            throw BadInput.invalid(null, "root's access token is the admin token (setting admin_token)");
        }
        String key = users.issueAccessToken(existing.id()).orElseThrow(() -> missing(call));
        ObjectNode o = view(users.get(existing.id()).orElseThrow());
        o.put("access_token", key);
        return ApiResult.created(o);
    }

    /** Admins manage plain users; root manages everyone. */
    private static void requireRootFor(ApiCall call, String role) {
        Role r = Role.parse(role);
        if (r != null && r != Role.USER && call.principal().role() != Role.ROOT) {
            throw new BadInput(403, "forbidden", "role", "only root may create or change users with the role "
                    + role);
        }
    }

    private UserRecord found(ApiCall call) {
        return users.get(call.id("user_id")).orElseThrow(() -> missing(call));
    }

    private ObjectNode view(UserRecord u) {
        return UserJson.of(balances.live(u));
    }

    private static BadInput missing(ApiCall call) {
        return new BadInput(404, "not_found", null, "no user with id " + call.param("user_id"));
    }
}
