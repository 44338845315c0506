package dev.switchboard.plugin.siliconcloud;

import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import java.net.URI;
import java.util.Locale;

/**
 * The {@code siliconcloud} channel type and where its channels send requests: the China site by default, the
 * international site with {@code config.region = intl}, or whatever {@code base_url} the operator set (which
 * always wins, so a channel can point at any host).
 */
final class SiliconCloudType {

    static final String CHINA = "https://api.siliconflow.cn/v1";
    static final String INTERNATIONAL = "https://api.siliconflow.com/v1";
    static final String REGION = "region";

    static final ChannelType TYPE = ChannelType.builder("siliconcloud")
            .name("SiliconFlow (SiliconCloud)")
            .defaultBaseUrl(CHINA)
            .keyHint("sk-...")
            .configFields(ConfigField.builder(REGION, ConfigField.Kind.CHOICE).label("Site")
                    .choices("cn", "intl").defaultValue("cn")
                    .description("cn calls " + CHINA + " (balances in CNY), intl calls " + INTERNATIONAL
                            + " (balances in USD); a base_url set on the channel overrides both.")
                    .build())
            .operations(Operation.CHAT, Operation.COMPLETIONS, Operation.EMBEDDINGS, Operation.RERANK,
                    Operation.IMAGES, Operation.SPEECH, Operation.TRANSCRIPTION, Operation.MODELS,
                    Operation.BALANCE)
            .defaultModels("deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1", "Pro/deepseek-ai/DeepSeek-V3",
                    "Pro/deepseek-ai/DeepSeek-R1", "Qwen/Qwen3-8B", "Qwen/QwQ-32B", "zai-org/GLM-4.5",
                    "moonshotai/Kimi-K2-Instruct", "BAAI/bge-m3", "Qwen/Qwen3-Embedding-8B",
                    "BAAI/bge-reranker-v2-m3", "netease-youdao/bce-reranker-base_v1",
                    "black-forest-labs/FLUX.1-schnell", "FunAudioLLM/CosyVoice2-0.5B", "FunAudioLLM/SenseVoiceSmall")
            .build();

    private SiliconCloudType() {
    }

    /**
     * @param channel the channel
     * @return the base URL to call, without trailing slash
     */
    static String baseUrl(Channel channel) {
        if (channel.hasCustomBaseUrl()) {
            return channel.baseUrl();
        }
        return international(channel) ? INTERNATIONAL : channel.baseUrl();
    }

    /**
     * The currency the account's balance is kept in: USD on the international site, CNY on the China site and
     * on any other host (a mirror or proxy of the China site is the usual custom base).
     *
     * @param channel the channel
     * @return an ISO 4217 code
     */
    static String currency(Channel channel) {
        if (international(channel) && !channel.hasCustomBaseUrl()) {
            return "USD";
        }
        String host = host(baseUrl(channel));
        return host.equals("siliconflow.com") || host.endsWith(".siliconflow.com") ? "USD" : "CNY";
    }

    /**
     * @param channel the channel
     * @return the {@code Authorization} header value
     */
    static String authorization(Channel channel) {
        return "Bearer " + channel.key().strip();
    }

    private static boolean international(Channel channel) {
        return "intl".equals(channel.config().path(REGION).asText("cn").strip().toLowerCase(Locale.ROOT));
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
