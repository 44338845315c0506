package dev.switchboard.core.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.ChannelRecord;

/** The channel as admin answers show it: the key masked, whether its type is installed. */
public final class ChannelJson {

    private ChannelJson() {
    }

    /**
     * @param c the channel
     * @param typeInstalled whether a plugin serves its type now
     * @return the answer object
     */
    public static ObjectNode of(ChannelRecord c, boolean typeInstalled) {
        ObjectNode o = Json.object();
        o.put("id", c.id());
        o.put("name", c.name());
        o.put("type", c.type());
        o.put("type_installed", typeInstalled);
        o.put("key_masked", c.keyMasked());
        o.put("base_url", c.baseUrl());
        o.set("models", Json.MAPPER.valueToTree(c.models()));
        o.set("model_mapping", Json.MAPPER.valueToTree(c.modelMapping()));
        o.set("groups", Json.MAPPER.valueToTree(c.groups()));
        o.put("priority", c.priority());
        o.put("weight", c.weight());
        o.put("status", c.status());
        o.put("status_reason", c.statusReason());
        o.set("config", c.config() == null ? Json.object() : c.config().deepCopy());
        o.put("proxy", withoutCredentials(c.proxy()));
        o.put("response_time_ms", c.responseTimeMs());
        o.put("balance", c.balance());
        o.put("balance_currency", c.balanceCurrency());
        o.put("balance_updated_at", c.balanceUpdatedAt());
        o.put("used_quota", c.usedQuota());
        o.put("created_at", c.createdAt());
        o.set(TimeoutsForm.FIELD, TimeoutsForm.json(c.timeouts()));
        return o;
    }

    /** A proxy URL may carry a user and password: answers show the host only. */
    static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int at = url.indexOf('@', scheme + 3);
        int slash = url.indexOf('/', scheme + 3);
        if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) {
            return url;
        }
        return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }
}
