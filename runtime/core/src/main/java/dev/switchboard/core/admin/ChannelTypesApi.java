package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.json.Json;
import java.util.List;
import java.util.Locale;

/** {@code GET /api/channel-types}: the installed adapters and the forms their channels need. */
public final class ChannelTypesApi {

    private final AdapterRegistry adapters;

    /** @param adapters the installed channel types */
    public ChannelTypesApi(AdapterRegistry adapters) {
        this.adapters = adapters;
    }

    /** @param router where to add the route */
    public void register(Router router) {
        router.add("GET", "channel-types", call -> {
            List<InstalledAdapter> installed = adapters.installed();
            return ApiResult.ok(Pages.of(call, installed, a -> {
                ObjectNode o = view(a);
                // Other plugins' claims on the type, best first: the next takes over when this one goes.
                ArrayNode shadowed = o.putArray("shadowed");
                for (InstalledAdapter s : adapters.shadowedFor(a.typeId())) {
                    shadowed.addObject().put("symbolic_name", s.bundleName()).put("version", s.bundleVersion());
                }
                return o;
            }));
        });
    }

    static ObjectNode view(InstalledAdapter a) {
        ChannelType t = a.adapter().channelType();
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("default_base_url", t.defaultBaseUrl());
        o.put("key_hint", t.keyHint());
        ArrayNode fields = o.putArray("config_fields");
        for (ConfigField f : t.configFields()) {
            ObjectNode field = fields.addObject();
            field.put("name", f.name());
            field.put("label", f.label());
            field.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
            field.set("choices", Json.MAPPER.valueToTree(f.choices()));
            field.put("default", f.defaultValue());
            field.put("required", f.required());
            field.put("description", f.description());
        }
        ArrayNode ops = o.putArray("operations");
        t.operations().stream().sorted().map(Operation::wireName).forEach(ops::add);
        o.set("default_models", Json.MAPPER.valueToTree(t.defaultModels()));
        ObjectNode plugin = o.putObject("plugin");
        plugin.put("symbolic_name", a.bundleName());
        plugin.put("version", a.bundleVersion());
        return o;
    }
}
