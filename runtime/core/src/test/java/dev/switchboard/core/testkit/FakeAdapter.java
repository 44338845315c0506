package dev.switchboard.core.testkit;

import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.adapter.InstalledAdapter;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A provider adapter made in the test: it describes a channel type and answers balance and model listing. */
public class FakeAdapter implements ProviderAdapter {

    private final ChannelType type;

    public FakeAdapter(ChannelType type) {
        this.type = type;
    }

    /** An OpenAI-like type: a free-text option {@code organization}. */
    public static FakeAdapter openai() {
        return new FakeAdapter(ChannelType.builder("openai").name("OpenAI")
                .defaultBaseUrl("https://api.openai.com/v1").keyHint("sk-...")
                .configFields(ConfigField.builder("organization", ConfigField.Kind.STRING)
                        .label("Organization").description("The OpenAI organization id.").build())
                .operations(Operation.CHAT, Operation.EMBEDDINGS, Operation.MODELS)
                .defaultModels("gpt-4o", "gpt-4o-mini").build());
    }

    /** A Qwen-like type: a choice {@code mode} of compatible or native, and it reports balances. */
    public static FakeAdapter qwen() {
        return new FakeAdapter(ChannelType.builder("qwen").name("Alibaba DashScope")
                .defaultBaseUrl("https://dashscope.aliyuncs.com").keyHint("sk-...")
                .configFields(ConfigField.builder("mode", ConfigField.Kind.CHOICE).choices("compatible", "native")
                        .defaultValue("compatible").build())
                .operations(Operation.CHAT, Operation.BALANCE)
                .defaultModels("qwen-max").build());
    }

    /** A type with nothing but an id. */
    public static FakeAdapter bare(String id) {
        return new FakeAdapter(ChannelType.builder(id).defaultBaseUrl("https://" + id + ".example/v1").build());
    }

    /** @return this adapter as a registration of service {@code serviceId} from bundle {@code bundleId} */
    public InstalledAdapter installed(long serviceId, int ranking, long bundleId, String bundle, String version) {
        return new InstalledAdapter(this, serviceId, ranking, bundleId, bundle, version);
    }

    @Override
    public ChannelType channelType() {
        return type;
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        return CompletableFuture.completedFuture(
                UpstreamCall.passThrough(channel.baseUrl() + "/chat/completions").build());
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        return UpstreamError.builder(status, "upstream_error", "fake error").build();
    }

    @Override
    public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        if (!type.operations().contains(Operation.BALANCE)) {
            return ProviderAdapter.super.balance(channel, client);
        }
        return CompletableFuture.completedFuture(new Balance(new BigDecimal("12.5"), "CNY"));
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        if (!type.operations().contains(Operation.MODELS)) {
            return ProviderAdapter.super.listModels(channel, client);
        }
        return CompletableFuture.completedFuture(List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small"));
    }
}
