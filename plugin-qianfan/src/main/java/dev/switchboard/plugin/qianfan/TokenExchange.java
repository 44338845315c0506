package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The v1 token exchange, {@code POST {base}/oauth/2.0/token?grant_type=client_credentials&client_id=AK&
 * client_secret=SK} without a body, made through the core's side-call client. Failures never name the URL: its
 * query string holds the secret key.
 */
final class TokenExchange {

    private final ObjectMapper mapper;
    private final Clock clock;

    TokenExchange(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param channel the v1 channel
     * @param client the core's side-call client
     * @return the token, or a stage failed with {@link UpstreamErrorException}
     */
    CompletableFuture<AccessToken> fetch(Channel channel, UpstreamClient client) {
        V1Key key;
        try {
            key = V1Key.parse(channel.key());
        } catch (UpstreamErrorException e) {
            return CompletableFuture.failedFuture(e);
        }
        String url = channel.baseUrl() + "/oauth/2.0/token?grant_type=client_credentials&client_id="
                + URLEncoder.encode(key.apiKey(), StandardCharsets.UTF_8) + "&client_secret="
                + URLEncoder.encode(key.secretKey(), StandardCharsets.UTF_8);
        CompletableFuture<SideCall.Result> answer;
        try {
            answer = client.send(SideCall.post(url, null, null).header("Accept", "application/json").build())
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((result, failure) -> {
            if (failure != null) {
                Throwable f = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new UpstreamErrorException(V1Errors.exchangeFailed(
                        f instanceof IOException && f.getMessage() != null ? f.getMessage()
                                : f.getClass().getSimpleName())));
            }
            return read(result);
        });
    }

    private AccessToken read(SideCall.Result result) {
        JsonNode body;
        try {
            body = mapper.readTree(result.body());
        } catch (IOException e) {
            body = null;
        }
        if (body != null && body.path("access_token").isTextual() && !body.get("access_token").textValue().isEmpty()) {
            return AccessToken.issued(body.get("access_token").textValue(),
                    body.path("expires_in").asLong(AccessToken.DEFAULT_LIFETIME_SECONDS), clock.instant());
        }
        Optional<dev.switchboard.api.provider.UpstreamError> error = ErrorBodies.inBody(body);
        throw new CompletionException(new UpstreamErrorException(error.orElseGet(() -> V1Errors.exchangeFailed(
                "HTTP " + result.status() + " without an access_token"))));
    }
}
