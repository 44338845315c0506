package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The v2 (OpenAI-compatible) calls: {@code Authorization: Bearer <token>} and, when the channel has one, the
 * {@code appid} header (from {@code config.appid}, else a key {@code TOKEN|APPID}). Chat and float embeddings
 * are pass-through calls, so unknown fields and {@code reasoning_content} reach the client as Baidu sent them.
 * Base64 embeddings are translated (the client's body as it came, with {@code encoding_format} left out, and
 * the floats encoded on the way back), and so is rerank ({@code /rerankers}), whose answer the relay contract
 * reshapes.
 */
final class V2Calls {

    private final ObjectMapper mapper;

    V2Calls(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param channel a v2 channel
     * @return its base URL: the type's v2 default when it sets none, with {@code /v2} added to a base without path
     */
    static String baseUrl(Channel channel) {
        if (!channel.hasCustomBaseUrl()) {
            return QianfanChannelType.V2_BASE;
        }
        String base = channel.baseUrl();
        String path = URI.create(base).getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? trim(base) + "/v2" : base;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * @param request the client's request
     * @param channel the v2 channel
     * @return the call
     * @throws UpstreamErrorException a 400 for unusable rerank documents or an operation v2 lacks
     */
    UpstreamCall call(RelayRequest request, Channel channel) throws UpstreamErrorException {
        String base = baseUrl(channel);
        UpstreamCall.Builder b;
        switch (request.operation()) {
            case CHAT -> b = UpstreamCall.passThrough(base + "/chat/completions").stream(request.stream());
            case EMBEDDINGS -> {
                if (Embeddings.wantsBase64(request)) {
                    ObjectNode body = request.body().deepCopy();
                    body.put("model", request.upstreamModel());
                    body.remove("encoding_format");
                    b = UpstreamCall.translated("POST", base + "/embeddings", bytes(body), "application/json");
                } else {
                    b = UpstreamCall.passThrough(base + "/embeddings");
                }
            }
            case RERANK -> {
                ObjectNode body = request.body().deepCopy();
                body.put("model", request.upstreamModel());
                body.set("documents", Rerank.texts(request.body().get("documents"), mapper));
                body.remove("return_documents");
                b = UpstreamCall.translated("POST", base + "/rerankers", bytes(body), "application/json");
            }
            default -> throw new UpstreamErrorException(V1Errors.invalidRequest(null, "Baidu Qianfan does not offer "
                    + request.operation().wireName() + " through this gateway"));
        }
        credentials(channel, b);
        return b.build();
    }

    private static void credentials(Channel channel, UpstreamCall.Builder b) {
        String key = channel.key() == null ? "" : channel.key().trim();
        String appid = channel.config().path("appid").asText("").trim();
        int bar = key.indexOf('|');
        if (bar >= 0) {
            if (appid.isEmpty()) {
                appid = key.substring(bar + 1).trim();
            }
            key = key.substring(0, bar).trim();
        }
        b.header("Authorization", "Bearer " + key);
        if (!appid.isEmpty()) {
            b.header("appid", appid);
        }
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
