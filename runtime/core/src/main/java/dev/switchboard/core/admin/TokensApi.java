package dev.switchboard.core.admin;

import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.token.TokenJson;
import dev.switchboard.core.token.Tokens;

/** {@code /api/tokens}: relay tokens. The key is in the creation answer only. */
public final class TokensApi {

    private final Tokens tokens;

    /** @param tokens the token registry */
    public TokensApi(Tokens tokens) {
        this.tokens = tokens;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add("GET", "tokens", call -> ApiResult.ok(Pages.of(call, tokens.list(), t -> TokenJson.of(t, null))))
                .add("POST", "tokens", call -> {
                    Tokens.Created c = tokens.create(call.json(), Tokens.ROOT_USER);
                    return ApiResult.created(TokenJson.of(c.token(), c.key()));
                })
                .add("GET", "tokens/{token_id}", call -> ApiResult.ok(TokenJson.of(
                        tokens.get(call.id("token_id")).orElseThrow(() -> missing(call)), null)))
                .add("PUT", "tokens/{token_id}", call -> ApiResult.ok(TokenJson.of(
                        tokens.update(call.id("token_id"), call.json()).orElseThrow(() -> missing(call)), null)))
                .add("DELETE", "tokens/{token_id}", call -> {
                    if (!tokens.delete(call.id("token_id"))) {
                        throw missing(call);
                    }
                    return ApiResult.noContent();
                });
    }

    private static BadInput missing(ApiCall call) {
        return new BadInput(404, "not_found", null, "no token with id " + call.param("token_id"));
    }
}
