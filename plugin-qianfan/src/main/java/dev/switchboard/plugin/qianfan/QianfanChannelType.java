package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * What the console and the admin API show of the {@code qianfan} type: the key formats, the three options
 * ({@code api_version}, {@code endpoints}, {@code appid}) and the operations. Balance is not among them: Baidu
 * offers no API that reports an account's balance.
 */
final class QianfanChannelType {

    static final String ID = "qianfan";
    static final String V1_BASE = "https://aip.baidubce.com";
    static final String V2_BASE = "https://qianfan.baidubce.com/v2";

    static final ChannelType TYPE = ChannelType.builder(ID)
            .name("Baidu Qianfan (ERNIE)")
            .defaultBaseUrl(V1_BASE)
            .keyHint("v1: API_KEY|SECRET_KEY; v2: bce-v3/ALTAK-.../... (or TOKEN|APPID)")
            .configFields(
                    ConfigField.builder("api_version", ConfigField.Kind.CHOICE).label("API version")
                            .choices("v1", "v2").defaultValue("v1")
                            .description("v1 (wenxinworkshop, key API_KEY|SECRET_KEY, base " + V1_BASE
                                    + ") or v2 (OpenAI-compatible, key bce-v3/..., base " + V2_BASE
                                    + "). Balance: not available, Baidu's API does not report it.")
                            .build(),
                    ConfigField.builder("endpoints", ConfigField.Kind.OBJECT).label("Model endpoints (v1)")
                            .description("Model name -> v1 endpoint, added to the built-in table, e.g. "
                                    + "{\"my-ernie\": \"abcd1234\"} for a custom deployment; a value with a /"
                                    + " is a path under wenxinworkshop/, e.g. \"chat/abcd1234\".")
                            .build(),
                    ConfigField.builder("appid", ConfigField.Kind.STRING).label("App id (v2)")
                            .description("Sent as the appid header of v2 calls; a key TOKEN|APPID works too.")
                            .build())
            .operations(Operation.CHAT, Operation.EMBEDDINGS, Operation.RERANK)
            .defaultModels("ERNIE-4.0-8K", "ERNIE-4.0-Turbo-8K", "ERNIE-3.5-8K", "ERNIE-3.5-128K",
                    "ERNIE-Speed-128K", "ERNIE-Lite-8K-0308", "ERNIE-Tiny-8K", "Embedding-V1", "bge-large-zh",
                    "bce-reranker-base_v1", "ernie-4.5-turbo-128k", "ernie-x1-turbo-32k", "deepseek-v3",
                    "deepseek-r1")
            .build();

    private QianfanChannelType() {
    }

    /** The API a channel speaks. */
    enum ApiVersion {
        V1, V2;

        static ApiVersion of(Channel channel) {
            return "v2".equals(channel.config().path("api_version").asText("v1")) ? V2 : V1;
        }
    }

    /**
     * The rules the core's kind checks cannot express.
     *
     * @param config the channel's config
     * @return one message per problem
     */
    static List<String> validate(JsonNode config) {
        List<String> problems = new ArrayList<>(EndpointTable.validate(config.get("endpoints")));
        JsonNode appid = config.get("appid");
        if (appid != null && appid.isTextual() && appid.textValue().isBlank()) {
            problems.add("config.appid must not be blank; leave it out when the v2 key needs no app id");
        }
        return problems;
    }
}
