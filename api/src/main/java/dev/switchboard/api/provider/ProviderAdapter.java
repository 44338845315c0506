package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel type: the service a provider plugin registers, one per type it adds.
 *
 * <p>The core calls an adapter for each request routed to a channel of its type. Implementations must be
 * thread-safe and must not block: anything that waits on the network goes through the {@link UpstreamClient}
 * the core passes in, and its result comes back as a {@link CompletionStage}. An adapter may be replaced
 * while requests run: requests already prepared by the old instance finish on it.
 *
 * <p>Two shapes of upstream call exist. A <em>pass-through</em> call ({@link UpstreamCall#passThrough}) is
 * for OpenAI-compatible upstreams: the core sends the client's body as it came (only {@code model} rewritten
 * and {@code stream_options} added when needed) and relays the answer's bytes, reading usage on the way.
 * Any other call carries a body the adapter built, and the core hands the answer back to {@link
 * #translateResponse} or a {@link StreamTranslator}.
 */
public interface ProviderAdapter {

    /**
     * Describes the channel type. Called often; return the same instance every time.
     *
     * @return the channel type this adapter serves
     */
    ChannelType channelType();

    /**
     * Checks a channel's per-type options before the core stores them. The core has already checked the
     * kinds and choices declared by {@link ChannelType#configFields()}; this is for rules between fields.
     *
     * @param config the channel's {@code config} object (never {@code null})
     * @return one message per problem, each naming the field and saying what to fix; empty when valid
     */
    default List<String> validateConfig(JsonNode config) {
        return List.of();
    }

    /**
     * Builds the upstream call for a request. Side calls (a token exchange, say) go through {@code client},
     * and their results are the adapter's to cache.
     *
     * @param request what the client asked, as the core parsed it
     * @param channel the channel chosen for this attempt
     * @param client the core's HTTP client for side calls, bound to this channel's proxy and timeouts
     * @return the call to make; a stage failed with {@link UpstreamErrorException} when the channel cannot
     *     serve the request (e.g. its token exchange was refused)
     */
    CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client);

    /**
     * Converts a successful, non-streamed JSON answer of a translated call into the OpenAI shape of the
     * request's operation. Not called for pass-through calls.
     *
     * @param request the client's request
     * @param status the upstream HTTP status (2xx)
     * @param body the upstream JSON body
     * @return the client's body and the usage it carries
     * @throws UpstreamErrorException when the body is an error despite the status (some vendors answer
     *     errors with HTTP 200)
     */
    default TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        throw new UnsupportedOperationException(channelType().id() + " makes pass-through calls only");
    }

    /**
     * Creates the translator for one streamed answer of a translated call. Not called for pass-through calls.
     *
     * @param request the client's request
     * @return a fresh translator; the core feeds it from one thread at a time
     */
    default StreamTranslator newStreamTranslator(RelayRequest request) {
        throw new UnsupportedOperationException(channelType().id() + " makes pass-through calls only");
    }

    /**
     * Converts an upstream failure (a non-2xx status, or a non-stream body where a stream was expected) into
     * the error the client sees and the verdict for routing.
     *
     * @param status the upstream HTTP status
     * @param contentType the upstream content type, possibly {@code null}
     * @param body the upstream body (possibly empty or not JSON)
     * @return the error; never {@code null}
     */
    UpstreamError translateError(int status, String contentType, byte[] body);

    /**
     * Reads the vendor account's balance, where the type lists {@link Operation#BALANCE}.
     *
     * @param channel the channel
     * @param client the core's HTTP client, bound to the channel
     * @return the balance, or a stage failed with {@link UpstreamErrorException}
     */
    default CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(channelType().id() + " cannot report a balance"));
    }

    /**
     * Lists the model names the vendor account offers, where the type lists {@link Operation#MODELS}.
     *
     * @param channel the channel
     * @param client the core's HTTP client, bound to the channel
     * @return model names as clients would request them
     */
    default CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(channelType().id() + " cannot list models"));
    }
}
