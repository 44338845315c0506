package com.example.switchboard.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code acme} channel type. One DS component, registered as a {@link ProviderAdapter} service: the
 * gateway picks it up when the bundle starts and drops it when the bundle goes.
 */
@Component(service = ProviderAdapter.class)
public final class AcmeAdapter implements ProviderAdapter {

    static final ChannelType TYPE = ChannelType.builder("acme")
            .name("Acme AI (example)")
            .defaultBaseUrl("https://api.acme.example/v1")
            .keyHint("acme-...")
            .configFields(ConfigField.builder("region", ConfigField.Kind.CHOICE).label("Region")
                    .choices("us", "eu").defaultValue("us")
                    .description("Sent as X-Acme-Region; the key's home region.").build())
            .operations(Operation.CHAT, Operation.BALANCE)
            .defaultModels("acme-large", "acme-small")
            .build();

    // The plugin's own mapper: its class caches go away with the plugin's class loader.
    private final ObjectMapper mapper = new ObjectMapper();
    private final AcmeErrors errors = new AcmeErrors(mapper);

    @Override
    public ChannelType channelType() {
        return TYPE;
    }

    @Override
    public List<String> validateConfig(JsonNode config) {
        // The core already checked that region is one of the choices; rules between fields go here.
        return List.of();
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        if (request.operation() != Operation.CHAT) {
            // Not reached while operations() lists only CHAT; a failed stage is how to refuse.
            return CompletableFuture.failedFuture(new UpstreamErrorException(UpstreamError.builder(400,
                    "unsupported_operation", "[acme] serves chat only").build()));
        }
        ObjectNode body = AcmeChat.request(request, mapper);
        UpstreamCall call = UpstreamCall.translated("POST", channel.baseUrl() + "/chat", json(body),
                        "application/json")
                .header("X-Acme-Key", channel.key())
                .header("X-Acme-Region", channel.config().path("region").asText("us"))
                .stream(request.stream())
                .build();
        return CompletableFuture.completedFuture(call);
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        if (body.has("err_code")) {
            // Acme answers some errors with HTTP 200.
            throw new UpstreamErrorException(errors.translate(status, body));
        }
        return AcmeChat.response(request, body, mapper);
    }

    @Override
    public StreamTranslator newStreamTranslator(RelayRequest request) {
        return new AcmeStream(request, mapper, errors);
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        return errors.translate(status, body);
    }

    @Override
    public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        SideCall call = SideCall.get(channel.baseUrl() + "/account").header("X-Acme-Key", channel.key()).build();
        return client.send(call).thenCompose(r -> {
            if (r.status() / 100 != 2) {
                return CompletableFuture.failedFuture(
                        new UpstreamErrorException(translateError(r.status(), r.contentType(), r.body())));
            }
            try {
                JsonNode a = mapper.readTree(r.body());
                return CompletableFuture.completedFuture(
                        new Balance(new BigDecimal(a.path("credit").asText("0")), a.path("currency").asText("USD")));
            } catch (IOException | NumberFormatException e) {
                return CompletableFuture.failedFuture(new IOException("the Acme account answer is not readable"));
            }
        });
    }

    private byte[] json(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
