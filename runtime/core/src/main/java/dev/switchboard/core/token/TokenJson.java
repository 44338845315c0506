package dev.switchboard.core.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.TokenRecord;
import java.time.Instant;

/** The token as admin answers show it; the key appears only in the answer to its creation. */
public final class TokenJson {

    private TokenJson() {
    }

    /**
     * @param t the token
     * @param key the key, on creation only; else {@code null}
     * @return the answer object
     */
    public static ObjectNode of(TokenRecord t, String key) {
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.put("name", t.name());
        if (key != null) {
            o.put("key", key);
        }
        o.put("key_masked", t.keyMasked());
        o.put("status", Tokens.effectiveStatus(t, Instant.now().getEpochSecond()));
        o.put("expires_at", t.expiresAt());
        o.put("unlimited_quota", t.unlimitedQuota());
        o.put("remain_quota", t.remainQuota());
        o.put("used_quota", t.usedQuota());
        o.set("models", Json.MAPPER.valueToTree(t.models()));
        o.set("subnets", Json.MAPPER.valueToTree(t.subnets()));
        o.put("group", t.group());
        o.put("rpm", t.rpm());
        o.put("tpm", t.tpm());
        o.put("max_concurrency", t.maxConcurrency());
        o.put("user_id", t.userId());
        o.put("created_at", t.createdAt());
        return o;
    }
}
