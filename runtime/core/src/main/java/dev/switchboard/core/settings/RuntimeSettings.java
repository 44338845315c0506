package dev.switchboard.core.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The run-time settings, in memory, written through to the store's meta ({@code setting.<key>}). Each has a
 * default and a check; a change commits before the API answers.
 */
public final class RuntimeSettings {

    /** {@code serve} (cost 0, recorded as unpriced) or {@code reject} (refused with a clear error). */
    public static final String PRICING_UNPRICED = "pricing.unpriced";
    /** Completion tokens assumed for the quota estimate when a request sets no {@code max_tokens}. */
    public static final String DEFAULT_MAX_TOKENS = "quota.default_max_tokens";
    /** Days request and admin logs are kept (a decimal, e.g. 0.5). */
    public static final String RETENTION_DAYS = "logs.retention_days";
    /** Quota of a new user whose creation names none, micro-units. */
    public static final String USERS_DEFAULT_QUOTA = "users.default_quota";

    private record Definition(String defaultValue, Function<JsonNode, String> check, Function<String, JsonNode> view) {
    }

    private static final Map<String, Definition> DEFINITIONS = new LinkedHashMap<>();

    static {
        DEFINITIONS.put(PRICING_UNPRICED, new Definition("serve", v -> {
            String s = v.asText();
            if (!v.isTextual() || !(s.equals("serve") || s.equals("reject"))) {
                throw BadInput.invalid(PRICING_UNPRICED, PRICING_UNPRICED + " must be serve or reject");
            }
            return s;
        }, Json.MAPPER.getNodeFactory()::textNode));
        DEFINITIONS.put(DEFAULT_MAX_TOKENS, new Definition("1024", integer(DEFAULT_MAX_TOKENS, 1, 10_000_000),
                s -> Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(s))));
        DEFINITIONS.put(RETENTION_DAYS, new Definition("30", v -> {
            if (!v.isNumber() || v.decimalValue().signum() <= 0 || v.decimalValue().compareTo(BigDecimal.valueOf(36500)) > 0) {
                throw BadInput.invalid(RETENTION_DAYS, RETENTION_DAYS + " must be a number of days above 0, e.g. 30");
            }
            return v.decimalValue().stripTrailingZeros().toPlainString();
        }, s -> Json.MAPPER.getNodeFactory().numberNode(new BigDecimal(s))));
        DEFINITIONS.put(USERS_DEFAULT_QUOTA, new Definition("0", integer(USERS_DEFAULT_QUOTA, 0, Long.MAX_VALUE),
                s -> Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(s))));
    }

    private static Function<JsonNode, String> integer(String key, long min, long max) {
        return v -> {
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw BadInput.invalid(key, key + " must be an integer from " + min + " to " + max);
            }
            return Long.toString(v.asLong());
        };
    }

    private final Store store;
    private final Map<String, String> values = new ConcurrentHashMap<>();

    /** @param store where the settings are kept */
    public RuntimeSettings(Store store) {
        this.store = store;
        reload();
    }

    /** Reads the settings again (another node may have changed them). */
    public void reload() {
        java.util.Map<String, String> meta = store.allMeta();
        DEFINITIONS.forEach((k, d) -> values.put(k, meta.getOrDefault("setting." + k, d.defaultValue())));
    }

    /** @return whether unpriced models are refused */
    public boolean rejectUnpriced() {
        return "reject".equals(values.get(PRICING_UNPRICED));
    }

    /** @return the completion estimate without {@code max_tokens} */
    public long defaultMaxTokens() {
        return Long.parseLong(values.get(DEFAULT_MAX_TOKENS));
    }

    /** @return how long logs are kept, in seconds */
    public long retentionSeconds() {
        return new BigDecimal(values.get(RETENTION_DAYS)).multiply(BigDecimal.valueOf(86_400)).longValue();
    }

    /** @return a new user's quota */
    public long usersDefaultQuota() {
        return Long.parseLong(values.get(USERS_DEFAULT_QUOTA));
    }

    /** @return every setting with its value */
    public ObjectNode json() {
        ObjectNode o = Json.object();
        DEFINITIONS.forEach((k, d) -> o.set(k, d.view().apply(values.get(k))));
        return o;
    }

    /**
     * Changes the settings named in the input, all or none.
     *
     * @param input {@code {"key": value, ...}}
     * @return every setting after the change
     */
    public synchronized ObjectNode update(JsonNode input) {
        if (!input.isObject()) {
            throw new BadInput(400, "invalid_json", null, "send a JSON object of settings, e.g. {\""
                    + PRICING_UNPRICED + "\":\"reject\"}");
        }
        Map<String, String> changed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Definition d = DEFINITIONS.get(e.getKey());
            if (d == null) {
                throw BadInput.invalid(e.getKey(), "unknown setting '" + e.getKey() + "'; known: "
                        + String.join(", ", DEFINITIONS.keySet()));
            }
            changed.put(e.getKey(), d.check().apply(e.getValue()));
        }
        try {
            for (Map.Entry<String, String> e : changed.entrySet()) {
                store.putMeta("setting." + e.getKey(), e.getValue()).toCompletableFuture().join();
                values.put(e.getKey(), e.getValue());
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
        }
        return json();
    }
}
