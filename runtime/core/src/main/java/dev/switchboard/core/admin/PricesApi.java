package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.pricing.Groups;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.pricing.Unpriced;
import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/prices} (model prices; a model name with a slash such as {@code deepseek-ai/DeepSeek-V3} is a path
 * of two segments), {@code /api/prices/unpriced}, {@code /api/groups} (multipliers) and {@code /api/settings}.
 * Everyone may read prices and groups; admins change them.
 */
public final class PricesApi {

    private final Prices prices;
    private final Unpriced unpriced;
    private final Groups groups;
    private final RuntimeSettings settings;

    /**
     * @param prices the price table
     * @param unpriced models seen without a price
     * @param groups the group multipliers
     * @param settings the run-time settings
     */
    public PricesApi(Prices prices, Unpriced unpriced, Groups groups, RuntimeSettings settings) {
        this.prices = prices;
        this.unpriced = unpriced;
        this.groups = groups;
        this.settings = settings;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add(Access.USER, "GET", "prices", this::list)
                .add("GET", "prices/unpriced", call -> ApiResult.ok(Pages.of(call, unpriced.list(), Unpriced::json)))
                .add(Access.USER, "GET", "prices/{model}", call -> ApiResult.ok(one(model(call))))
                .add("PUT", "prices/{model}", call -> ApiResult.ok(Prices.json(prices.put(model(call), call.json()))))
                .add("DELETE", "prices/{model}", call -> delete(model(call)))
                .add(Access.USER, "GET", "prices/{org}/{model}", call -> ApiResult.ok(one(model(call))))
                .add("PUT", "prices/{org}/{model}",
                        call -> ApiResult.ok(Prices.json(prices.put(model(call), call.json()))))
                .add("DELETE", "prices/{org}/{model}", call -> delete(model(call)))
                .add(Access.USER, "GET", "groups", call -> ApiResult.ok(Pages.of(call, groups.list(), Groups::json)))
                .add("PUT", "groups/{name}", call -> {
                    JsonNode m = call.json().get("multiplier");
                    if (m == null || !m.isNumber()) {
                        throw BadInput.invalid("multiplier", "multiplier must be a number, e.g. 0.8");
                    }
                    return ApiResult.ok(Groups.json(groups.put(call.param("name"), new BigDecimal(m.asText()))));
                })
                .add("GET", "settings", call -> ApiResult.ok(settings.json()))
                .add("PUT", "settings", call -> ApiResult.ok(settings.update(call.json())));
    }

    private ApiResult list(ApiCall call) {
        String q = call.queryValue("q");
        List<PriceRecord> all = prices.list().stream()
                .filter(p -> q == null || p.model().contains(q.toLowerCase(Locale.ROOT))).toList();
        return ApiResult.ok(Pages.of(call, all, Prices::json));
    }

    private JsonNode one(String model) {
        return Prices.json(prices.find(model).orElseThrow(() -> new BadInput(404, "not_found", null,
                "no price for the model '" + model + "'")));
    }

    private ApiResult delete(String model) {
        if (!prices.delete(model)) {
            throw new BadInput(404, "not_found", null, "no price for the model '" + model + "'");
        }
        return ApiResult.noContent();
    }

    private static String model(ApiCall call) {
        String org = call.param("org");
        return org == null ? call.param("model") : org + "/" + call.param("model");
    }
}
