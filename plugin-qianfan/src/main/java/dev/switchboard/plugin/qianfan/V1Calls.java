package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The v1 call of a request: {@code POST {base}/rpc/2.0/ai_custom/v1/wenxinworkshop/{path}?access_token=T} with a
 * body this plugin built. The body is built before the token is known, so a request Baidu would refuse is
 * answered without a token exchange.
 */
final class V1Calls {

    static final String PREFIX = "/rpc/2.0/ai_custom/v1/wenxinworkshop/";

    private final ObjectMapper mapper;
    private final V1ChatRequest chat;

    V1Calls(ObjectMapper mapper) {
        this.mapper = mapper;
        this.chat = new V1ChatRequest(mapper);
    }

    /**
     * @param request the client's request
     * @return the v1 body
     * @throws UpstreamErrorException a 400 when the request cannot be put in Baidu's form
     */
    ObjectNode body(RelayRequest request) throws UpstreamErrorException {
        return switch (request.operation()) {
            case CHAT -> chat.translate(request);
            case EMBEDDINGS -> {
                ObjectNode b = mapper.createObjectNode();
                b.set("input", Embeddings.texts(request.body().get("input"), mapper));
                if (request.body().path("user").isTextual()) {
                    b.put("user_id", request.body().get("user").textValue());
                }
                yield b;
            }
            case RERANK -> Rerank.v1Body(request, mapper);
            default -> throw new UpstreamErrorException(V1Errors.invalidRequest(null, "Baidu Qianfan does not offer "
                    + request.operation().wireName()));
        };
    }

    /**
     * @param request the client's request
     * @param channel the v1 channel
     * @param body the body from {@link #body}
     * @param token the access token
     * @return the call
     */
    UpstreamCall call(RelayRequest request, Channel channel, ObjectNode body, String token) {
        String path = EndpointTable.path(request.operation(), request.upstreamModel(), request.model(),
                channel.config().get("endpoints"));
        String url = channel.baseUrl() + PREFIX + path + "?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return UpstreamCall.translated("POST", url, bytes, "application/json")
                .stream(request.operation() == dev.switchboard.api.provider.Operation.CHAT && request.stream())
                .build();
    }
}
