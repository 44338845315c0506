package dev.switchboard.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.KeyMask;
import dev.switchboard.core.store.SecretBox;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns admin input (a new channel, or changes to one) into a checked {@link ChannelRecord}. Every problem is a
 * {@link BadInput} naming the field.
 */
final class ChannelForm {

    static final Pattern TYPE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** Fields a client may write. */
    private static final Set<String> WRITABLE = Set.of("name", "type", "key", "base_url", "models",
            "model_mapping", "groups", "priority", "weight", "status", "config", "proxy", TimeoutsForm.FIELD);
    /** Fields answers carry that a client may send back unchanged (a GET, edited, then PUT). */
    private static final Set<String> READ_ONLY = Set.of("id", "key_masked", "type_installed", "status_reason",
            "response_time_ms", "balance", "balance_currency", "balance_updated_at", "used_quota", "created_at");

    private final SecretBox secrets;

    ChannelForm(SecretBox secrets) {
        this.secrets = secrets;
    }

    /**
     * @param input the admin's JSON
     * @param existing the channel being changed, or {@code null} to create one
     * @param adapter the adapter of the resulting type, if installed (its config is then checked)
     * @param now unix seconds
     * @return the record to store
     */
    ChannelRecord apply(JsonNode input, ChannelRecord existing, Optional<ProviderAdapter> adapter, long now) {
        Fields f = Fields.of(input);
        Set<String> allowed = new java.util.HashSet<>(WRITABLE);
        allowed.addAll(READ_ONLY);
        f.rejectUnknown(allowed);
        boolean create = existing == null;

        String name = create ? f.requiredString("name") : f.has("name") ? f.requiredString("name") : existing.name();
        String type = create ? f.requiredString("type") : f.has("type") ? f.requiredString("type") : existing.type();
        if (!TYPE_ID.matcher(type).matches()) {
            throw BadInput.invalid("type", "type must be a channel type id such as openai ([a-z0-9][a-z0-9_-]*)");
        }
        String keyCipher;
        String keyMasked;
        if (create || f.has("key")) {
            String key = f.requiredString("key");
            keyCipher = secrets.seal(key);
            keyMasked = KeyMask.mask(key);
        } else {
            keyCipher = existing.keyCipher();
            keyMasked = existing.keyMasked();
        }
        String baseUrl = f.has("base_url") ? url(f.string("base_url", null), "base_url", Set.of("http", "https"))
                : create ? null : existing.baseUrl();
        String proxy;
        if (!f.has("proxy")) {
            proxy = create ? null : existing.proxy();
        } else if (!create && existing.proxy() != null
                && ChannelJson.withoutCredentials(existing.proxy()).equals(f.string("proxy", null))) {
            // The masked form an answer showed, sent back unchanged: keep the credentials it hides.
            proxy = existing.proxy();
        } else {
            proxy = url(f.string("proxy", null), "proxy", Set.of("http", "https", "socks", "socks5"));
        }
        List<String> models = f.stringList("models", "model names", create ? List.of() : existing.models());
        Map<String, String> mapping = f.stringMap("model_mapping", create ? Map.of() : existing.modelMapping());
        List<String> groups = f.stringList("groups", "group names", create ? List.of("default") : existing.groups());
        if (groups.isEmpty()) {
            throw BadInput.invalid("groups", "groups must name at least one group, e.g. [\"default\"]");
        }
        int priority = f.intValue("priority", create ? 0 : existing.priority());
        int weight = f.intValue("weight", create ? 1 : existing.weight());
        if (weight < 0) {
            throw BadInput.invalid("weight", "weight must be 0 or more");
        }
        String status = create ? ChannelRecord.ENABLED : existing.status();
        String reason = create ? null : existing.statusReason();
        if (f.present("status")) {
            String s = f.string("status", null);
            // The current status sent back unchanged is no change, even auto_disabled (which only the gateway sets).
            if (!s.equals(status)) {
                if (!s.equals(ChannelRecord.ENABLED) && !s.equals(ChannelRecord.DISABLED)) {
                    throw BadInput.invalid("status", "status must be enabled or disabled");
                }
                status = s;
                reason = s.equals(ChannelRecord.DISABLED) ? "disabled by an operator" : null;
            }
        }
        ObjectNode config = f.has("config") ? f.object("config")
                : create ? f.object("config") : (ObjectNode) existing.config();
        adapter.ifPresent(a -> checkConfig(a, config));
        var timeouts = f.has(TimeoutsForm.FIELD) || create ? TimeoutsForm.parse(input) : existing.timeouts();

        return new ChannelRecord(create ? 0 : existing.id(), name, type, keyCipher, keyMasked, baseUrl,
                models, mapping, groups, priority, weight, status, reason, config, proxy,
                create ? 0 : existing.responseTimeMs(), create ? null : existing.balance(),
                create ? null : existing.balanceCurrency(), create ? null : existing.balanceUpdatedAt(),
                create ? 0 : existing.usedQuota(), create ? now : existing.createdAt(), timeouts);
    }

    /** Checks config against the type's declared fields, then the adapter's own rules. */
    static void checkConfig(ProviderAdapter adapter, JsonNode config) {
        var type = adapter.channelType();
        List<String> known = new ArrayList<>();
        for (ConfigField field : type.configFields()) {
            known.add(field.name());
            JsonNode v = config.get(field.name());
            String param = "config." + field.name();
            if (v == null || v.isNull()) {
                if (field.required()) {
                    throw new BadInput(400, "missing_field", param, param + " is required for " + type.id()
                            + " channels");
                }
                continue;
            }
            switch (field.kind()) {
                case STRING -> {
                    if (!v.isTextual()) {
                        throw BadInput.invalid(param, param + " must be a string");
                    }
                }
                case CHOICE -> {
                    if (!v.isTextual() || !field.choices().contains(v.textValue())) {
                        throw BadInput.invalid(param, param + " must be one of " + String.join(", ", field.choices()));
                    }
                }
                case BOOLEAN -> {
                    if (!v.isBoolean()) {
                        throw BadInput.invalid(param, param + " must be true or false");
                    }
                }
                case OBJECT -> {
                    if (!v.isObject()) {
                        throw BadInput.invalid(param, param + " must be an object");
                    }
                }
            }
        }
        for (var it = config.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw BadInput.invalid("config." + name, "config." + name + " is not an option of " + type.id()
                        + " channels" + (known.isEmpty() ? " (it has none)" : "; options: " + String.join(", ", known)));
            }
        }
        List<String> problems;
        try {
            problems = adapter.validateConfig(config);
        } catch (dev.switchboard.core.adapter.PluginFailure e) {
            // The plugin's bug, not the caller's input: a 5xx naming the plugin, with nothing saved.
            throw new BadInput(502, "plugin_error", null, e.getMessage() + "; the channel was not saved");
        }
        if (problems != null && !problems.isEmpty()) {
            throw BadInput.invalid("config", String.join("; ", problems));
        }
    }

    private static String url(String value, String field, Set<String> schemes) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
                    || u.getHost() == null) {
                throw new URISyntaxException(v, "bad");
            }
        } catch (URISyntaxException e) {
            throw BadInput.invalid(field, field + " must be an absolute URL (" + String.join(" or ", schemes)
                    + "), e.g. https://api.example.com/v1");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
