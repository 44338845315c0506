package dev.switchboard.plugin.qwen;

import dev.switchboard.api.provider.Channel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a channel's calls go and with which headers. The channel's base URL is honoured as given; without one,
 * {@code config.region} picks Beijing or Singapore. The <em>root</em> is the base without a trailing
 * {@code /compatible-mode/v1} (or {@code /api/v1}, the native SDK's base): compatible calls go to
 * {@code {root}/compatible-mode/v1/...}, native ones to {@code {root}/api/v1/services/...}.
 *
 * @param nativeMode whether the channel is in native mode
 * @param root the base URL without the mode's path, without trailing slash
 * @param headers the credentials and workspace header, for every call
 */
record QwenEndpoints(boolean nativeMode, String root, Map<String, String> headers) {

    static final String COMPATIBLE_PATH = "/compatible-mode/v1";
    private static final String NATIVE_SDK_PATH = "/api/v1";

    static final String CHAT = "/api/v1/services/aigc/text-generation/generation";
    static final String MULTIMODAL_CHAT = "/api/v1/services/aigc/multimodal-generation/generation";
    static final String EMBEDDINGS = "/api/v1/services/embeddings/text-embedding/text-embedding";
    static final String RERANK = "/api/v1/services/rerank/text-rerank/text-rerank";

    /**
     * @param channel the channel
     * @return its endpoints
     */
    static QwenEndpoints of(Channel channel) {
        String base = channel.hasCustomBaseUrl() ? channel.baseUrl()
                : QwenChannelType.INTL.equals(channel.config().path(QwenChannelType.REGION).asText())
                ? QwenChannelType.INTL_BASE : QwenChannelType.CN_BASE;
        String root = trimSlash(base);
        if (root.endsWith(COMPATIBLE_PATH)) {
            root = root.substring(0, root.length() - COMPATIBLE_PATH.length());
        } else if (root.endsWith(NATIVE_SDK_PATH)) {
            root = root.substring(0, root.length() - NATIVE_SDK_PATH.length());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + channel.key());
        String ws = channel.config().path(QwenChannelType.WORKSPACE).asText("").strip();
        if (!ws.isEmpty()) {
            headers.put("X-DashScope-WorkSpace", ws);
        }
        boolean nativeMode = QwenChannelType.NATIVE.equals(channel.config().path(QwenChannelType.MODE).asText());
        return new QwenEndpoints(nativeMode, root, Map.copyOf(headers));
    }

    /** @return the OpenAI-compatible base, e.g. {@code https://dashscope.aliyuncs.com/compatible-mode/v1} */
    String compatibleBase() {
        return root + COMPATIBLE_PATH;
    }

    /**
     * @param path a native path such as {@link #CHAT}
     * @return the full URL
     */
    String nativeUrl(String path) {
        return root + path;
    }

    private static String trimSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
