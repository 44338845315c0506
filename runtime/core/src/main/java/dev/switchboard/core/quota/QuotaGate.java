package dev.switchboard.core.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.pricing.Costs;
import dev.switchboard.core.pricing.Groups;
import dev.switchboard.core.pricing.Prices;
import dev.switchboard.core.relay.Admission;
import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.PriceRecord;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.user.Users;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The relay's admission: the token's owner must exist and be enabled (else 403 {@code user_disabled}); the model
 * must have a price unless unpriced models are served; the estimated cost is pre-consumed from the token and the
 * user together, or the request is refused with 429 {@code insufficient_quota}. All in memory.
 */
public final class QuotaGate implements Admission {

    private final Users users;
    private final Prices prices;
    private final Groups groups;
    private final RuntimeSettings settings;
    private final Estimator estimator;
    private final Ledger ledger;

    /**
     * @param users the users
     * @param prices the price table
     * @param groups the group multipliers
     * @param settings the run-time settings
     * @param estimator counts requests
     * @param ledger the live balances
     */
    public QuotaGate(Users users, Prices prices, Groups groups, RuntimeSettings settings, Estimator estimator,
            Ledger ledger) {
        this.users = users;
        this.prices = prices;
        this.groups = groups;
        this.settings = settings;
        this.estimator = estimator;
        this.ledger = ledger;
    }

    @Override
    public String groupOf(TokenRecord token) {
        if (token.group() != null) {
            return token.group();
        }
        String owners = users.get(token.userId()).map(UserRecord::group).orElse(null);
        return owners == null || owners.isBlank() ? "default" : owners;
    }

    @Override
    public boolean mayPin(TokenRecord token) {
        return users.get(token.userId()).map(u -> dev.switchboard.core.user.Role.parse(u.role()))
                .map(dev.switchboard.core.user.Role::isAdmin).orElse(false);
    }

    @Override
    public Hold admit(TokenRecord token, String model, Operation operation, JsonNode body,
            Map<String, String> formFields) {
        UserRecord user = users.get(token.userId()).orElse(null);
        if (user == null || !"enabled".equals(user.status())) {
            throw new Refused(403, "permission_error", "user_disabled", user == null
                    ? "the user this token belongs to no longer exists" : "the user this token belongs to is disabled");
        }
        String group = token.group() != null ? token.group() : user.group();
        BigDecimal multiplier = groups.multiplier(group);
        PriceRecord price = prices.find(model).orElse(null);
        if (price == null && settings.rejectUnpriced()) {
            throw new Refused(403, "permission_error", "model_not_priced", "the model '" + model + "' has no price "
                    + "and this gateway refuses unpriced models (pricing.unpriced=reject); an admin can price it with "
                    + "PUT /api/prices/" + model);
        }
        Estimate e = estimator.estimate(operation, model, body, formFields, settings.defaultMaxTokens());
        long amount = Costs.of(price, multiplier,
                new Costs.Quantities(e.promptTokens(), 0, e.completionTokens(), e.images(), 1));
        boolean[] taken;
        try {
            taken = ledger.reserve(token, amount);
        } catch (Shortfall s) {
            throw new Refused(429, "insufficient_quota", "insufficient_quota", s.getMessage());
        }
        return new Charge(token.id(), user.id(), group, model, price, multiplier, e, amount, taken[0], taken[1]);
    }
}
