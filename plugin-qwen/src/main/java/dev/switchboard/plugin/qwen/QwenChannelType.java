package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import java.util.ArrayList;
import java.util.List;

/** The {@code qwen} channel type as operators see it: its options ({@code mode}, {@code region}, {@code workspace}). */
final class QwenChannelType {

    static final String MODE = "mode";
    static final String REGION = "region";
    static final String WORKSPACE = "workspace";

    static final String COMPATIBLE = "compatible";
    static final String NATIVE = "native";
    static final String CN = "cn";
    static final String INTL = "intl";

    static final String CN_BASE = "https://dashscope.aliyuncs.com";
    static final String INTL_BASE = "https://dashscope-intl.aliyuncs.com";

    static final ChannelType TYPE = ChannelType.builder("qwen")
            .name("Alibaba Qwen (DashScope)")
            .defaultBaseUrl(CN_BASE)
            .keyHint("sk-...")
            .configFields(
                    ConfigField.builder(MODE, ConfigField.Kind.CHOICE).label("Mode")
                            .choices(COMPATIBLE, NATIVE).defaultValue(COMPATIBLE)
                            .description("compatible calls {base}/compatible-mode/v1 (OpenAI protocol); native calls"
                                    + " DashScope's own /api/v1/services API. Rerank always uses the native API.")
                            .build(),
                    ConfigField.builder(REGION, ConfigField.Kind.CHOICE).label("Region")
                            .choices(CN, INTL).defaultValue(CN)
                            .description("cn is Beijing (" + CN_BASE + "), intl is Singapore (" + INTL_BASE
                                    + "); ignored when the channel sets base_url.")
                            .build(),
                    ConfigField.builder(WORKSPACE, ConfigField.Kind.STRING).label("Workspace")
                            .description("Sent as X-DashScope-WorkSpace; leave empty for the key's default workspace.")
                            .build())
            .operations(Operation.CHAT, Operation.COMPLETIONS, Operation.EMBEDDINGS, Operation.RERANK,
                    Operation.MODELS)
            .defaultModels("qwen3-max", "qwen-max", "qwen-plus", "qwen-turbo", "qwen-flash", "qwen-long", "qwq-plus",
                    "qwen3-coder-plus", "qwen-vl-max", "text-embedding-v3", "text-embedding-v4", "gte-rerank-v2",
                    "qwen3-rerank")
            .build();

    private QwenChannelType() {
    }

    /**
     * The rules between fields the core cannot check from the declarations: the workspace goes into a header.
     *
     * @param config the channel's config
     * @return problems, each naming the field
     */
    static List<String> validate(JsonNode config) {
        List<String> problems = new ArrayList<>();
        JsonNode ws = config.get(WORKSPACE);
        if (ws != null && ws.isTextual() && !ws.textValue().isEmpty()
                && !ws.textValue().strip().matches("[\\x21-\\x7e]+")) {
            problems.add("config.workspace must be a workspace id (printable characters, no spaces), e.g. ws-abc123");
        }
        return problems;
    }
}
