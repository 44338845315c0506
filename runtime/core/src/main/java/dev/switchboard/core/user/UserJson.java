package dev.switchboard.core.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.UserRecord;

/** The user as answers show it: never the password hash or the access token's hash. */
public final class UserJson {

    private UserJson() {
    }

    /**
     * @param u the user
     * @return the answer object
     */
    public static ObjectNode of(UserRecord u) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("username", u.username());
        o.put("display_name", u.displayName());
        o.put("role", u.role());
        o.put("status", u.status());
        o.put("group", u.group());
        o.put("quota", u.quota());
        o.put("unlimited_quota", u.unlimitedQuota());
        o.put("used_quota", u.usedQuota());
        o.put("request_count", u.requestCount());
        o.put("access_token_masked", u.accessTokenMasked());
        o.put("created_at", u.createdAt());
        return o;
    }
}
