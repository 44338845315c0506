package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.token.TokenBalances;
import dev.switchboard.core.token.TokenJson;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.user.Users;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/tokens}: relay tokens. The key is in the creation answer only. Admins see and manage every token
 * (filter {@code user_id}; create for another user with {@code user_id}); a user sees and manages only their own,
 * and may not set the admin-only fields (group, rate limits).
 */
public final class TokensApi {

    private static final List<String> ADMIN_ONLY = List.of("group", "rpm", "tpm", "max_concurrency");

    private final Tokens tokens;
    private final Users users;
    private final TokenBalances balances;

    /** @param tokens the token registry */
    public TokensApi(Tokens tokens) {
        this(tokens, null, TokenBalances.NONE);
    }

    /**
     * @param tokens the token registry
     * @param users the users (owners), or {@code null} when only root exists
     * @param balances live quotas
     */
    public TokensApi(Tokens tokens, Users users, TokenBalances balances) {
        this.tokens = tokens;
        this.users = users;
        this.balances = balances;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add(Access.USER, "GET", "tokens", this::list)
                .add(Access.USER, "POST", "tokens", this::create)
                .add(Access.USER, "GET", "tokens/{token_id}", call -> ApiResult.ok(view(owned(call))))
                .add(Access.USER, "PUT", "tokens/{token_id}", this::update)
                .add(Access.USER, "DELETE", "tokens/{token_id}", call -> {
                    owned(call);
                    if (!tokens.delete(call.id("token_id"))) {
                        throw missing(call);
                    }
                    balances.forget(call.id("token_id"));
                    return ApiResult.noContent();
                });
    }

    private ApiResult list(ApiCall call) {
        Long owner = call.isAdmin() ? call.queryLong("user_id") : Long.valueOf(call.userId());
        List<TokenRecord> all = tokens.list().stream().filter(t -> owner == null || t.userId() == owner).toList();
        return ApiResult.ok(Pages.of(call, all, this::view));
    }

    private ApiResult create(ApiCall call) {
        JsonNode input = call.json();
        long owner = call.principal() == null ? Tokens.ROOT_USER : call.userId();
        if (input.hasNonNull("user_id") && input.get("user_id").asLong() != owner) {
            if (!call.isAdmin()) {
                throw new BadInput(403, "forbidden", "user_id", "only an admin may make tokens for another user");
            }
            owner = input.get("user_id").asLong();
            if (users != null && users.get(owner).isEmpty()) {
                throw BadInput.invalid("user_id", "no user with id " + owner);
            }
        }
        checkUserFields(call, input, null);
        Tokens.Created c = tokens.create(input, owner);
        return ApiResult.created(TokenJson.of(balances.live(c.token()), c.key()));
    }

    private ApiResult update(ApiCall call) {
        TokenRecord existing = owned(call);
        JsonNode input = call.json();
        checkUserFields(call, input, existing);
        TokenRecord saved = tokens.update(existing.id(), input).orElseThrow(() -> missing(call));
        if (input.has("remain_quota")) {
            balances.quotaChanged(saved);
        } else if (saved.unlimitedQuota() != existing.unlimitedQuota()) {
            balances.unlimitedChanged(saved);
        }
        return ApiResult.ok(view(saved));
    }

    /** A user may not move their token to another group or lift its rate limits; an unchanged value is fine. */
    private static void checkUserFields(ApiCall call, JsonNode input, TokenRecord existing) {
        if (call.isAdmin() || call.principal() == null) {
            return;
        }
        for (String field : ADMIN_ONLY) {
            JsonNode v = input.get(field);
            if (v == null) {
                continue;
            }
            Object now = existing == null ? null : switch (field) {
                case "group" -> existing.group();
                case "rpm" -> existing.rpm();
                case "tpm" -> existing.tpm();
                default -> existing.maxConcurrency();
            };
            Object sent = v.isNull() ? null : v.isNumber() ? (Object) v.asInt() : v.asText();
            if (!Objects.equals(String.valueOf(now), String.valueOf(sent))) {
                throw new BadInput(403, "forbidden", field, "only an admin may set " + field + " of a token");
            }
        }
    }

    private TokenRecord owned(ApiCall call) {
        Optional<TokenRecord> t = tokens.get(call.id("token_id"));
        if (t.isEmpty() || (!call.isAdmin() && call.principal() != null && t.get().userId() != call.userId())) {
            throw missing(call);
        }
        return t.get();
    }

    private JsonNode view(TokenRecord t) {
        return TokenJson.of(balances.live(t), null);
    }

    private static BadInput missing(ApiCall call) {
        return new BadInput(404, "not_found", null, "no token with id " + call.param("token_id"));
    }
}
