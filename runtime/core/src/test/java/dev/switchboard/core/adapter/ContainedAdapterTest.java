package dev.switchboard.core.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.core.testkit.FakeAdapter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Whatever a plugin throws from any contract method comes out named, and nothing else escapes. */
class ContainedAdapterTest {

    private static final String PLUGIN = "com.example.bad 1.2.3";

    /** A plugin that throws what {@code failure} makes from every method but its channel type. */
    private static FakeAdapter throwing(Supplier<Throwable> failure) {
        return new FakeAdapter(ChannelType.builder("bad").defaultBaseUrl("https://bad.example/v1").build()) {
            private <T> T fail() {
                throw ContainedAdapterTest.<RuntimeException>sneaky(failure.get());
            }

            @Override
            public List<String> validateConfig(com.fasterxml.jackson.databind.JsonNode config) {
                return fail();
            }

            @Override
            public CompletionStage<UpstreamCall> prepare(RelayRequest r, Channel c, UpstreamClient client) {
                return fail();
            }

            @Override
            public TranslatedResponse translateResponse(RelayRequest r, int status,
                    com.fasterxml.jackson.databind.JsonNode body) {
                return fail();
            }

            @Override
            public StreamTranslator newStreamTranslator(RelayRequest request) {
                return fail();
            }

            @Override
            public UpstreamError translateError(int status, String contentType, byte[] body) {
                return fail();
            }

            @Override
            public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
                return fail();
            }

            @Override
            public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
                return fail();
            }
        };
    }

    /** Throws any throwable, checked ones too, as a plugin's code can. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private static void assertNamed(Throwable t, String method, Class<?> failure) {
        PluginFailure f = assertInstanceOf(PluginFailure.class, t instanceof CompletionException c ? c.getCause() : t);
        assertEquals("the plugin " + PLUGIN + " failed in " + method + " (" + failure.getName() + ")", f.getMessage());
        assertInstanceOf(failure, f.getCause(), "the cause is kept for the log");
        assertEquals(0, f.getStackTrace().length, "a failure shown to clients carries no stack of its own");
    }

    private static void everyMethodIsContained(Supplier<Throwable> failure, Class<?> kind) {
        ContainedAdapter a = new ContainedAdapter(throwing(failure), PLUGIN);
        var node = JsonNodeFactory.instance.objectNode();
        assertNamed(assertThrows(PluginFailure.class, () -> a.validateConfig(node)), "validateConfig", kind);
        assertNamed(assertThrows(PluginFailure.class, () -> a.translateResponse(null, 200, node)),
                "translateResponse", kind);
        assertNamed(assertThrows(PluginFailure.class, () -> a.newStreamTranslator(null)), "newStreamTranslator",
                kind);
        assertNamed(assertThrows(PluginFailure.class, () -> a.translateError(500, null, new byte[0])),
                "translateError", kind);
        // The methods that answer with a stage fail the stage instead of throwing.
        assertNamed(assertThrows(CompletionException.class, () -> a.prepare(null, null, null).toCompletableFuture()
                .join()), "prepare", kind);
        assertNamed(assertThrows(CompletionException.class, () -> a.balance(null, null).toCompletableFuture()
                .join()), "balance", kind);
        assertNamed(assertThrows(CompletionException.class, () -> a.listModels(null, null).toCompletableFuture()
                .join()), "listModels", kind);
    }

    @Test
    void aRuntimeExceptionFromAnyMethodIsNamed() {
        everyMethodIsContained(() -> new IllegalStateException("sk-secret-in-a-message"), IllegalStateException.class);
    }

    @Test
    void aLinkageErrorFromAHalfGoneBundleIsNamed() {
        everyMethodIsContained(() -> new NoClassDefFoundError("com/example/bad/Gone"), NoClassDefFoundError.class);
    }

    @Test
    void theMessageNeverCarriesThePluginsOwnMessage() {
        ContainedAdapter a = new ContainedAdapter(throwing(() -> new IllegalStateException("sk-secret")), PLUGIN);
        PluginFailure f = assertThrows(PluginFailure.class, () -> a.translateError(500, null, new byte[0]));
        assertFalse(f.getMessage().contains("sk-secret"), f.getMessage());
    }

    @Test
    void theContractsOwnErrorPassesAsItIs() {
        UpstreamErrorException verdict = new UpstreamErrorException(UpstreamError.builder(429, "rate_limited",
                "[bad] slow down").retryable(true).build());
        ContainedAdapter a = new ContainedAdapter(throwing(() -> verdict), PLUGIN);
        assertSame(verdict, assertThrows(UpstreamErrorException.class, () -> a.translateResponse(null, 200,
                JsonNodeFactory.instance.objectNode())));
        CompletionException c = assertThrows(CompletionException.class,
                () -> a.prepare(null, null, null).toCompletableFuture().join());
        assertSame(verdict, c.getCause());
    }

    @Test
    void aMissingAnswerIsThePluginsFailureToo() {
        FakeAdapter nulls = new FakeAdapter(ChannelType.builder("nulls").defaultBaseUrl("https://n.example").build()) {
            @Override
            public CompletionStage<UpstreamCall> prepare(RelayRequest r, Channel c, UpstreamClient client) {
                return null;
            }

            @Override
            public UpstreamError translateError(int status, String contentType, byte[] body) {
                return null;
            }
        };
        ContainedAdapter a = new ContainedAdapter(nulls, PLUGIN);
        assertNamed(assertThrows(CompletionException.class, () -> a.prepare(null, null, null).toCompletableFuture()
                .join()), "prepare", NullPointerException.class);
        assertNamed(assertThrows(PluginFailure.class, () -> a.translateError(500, null, new byte[0])),
                "translateError", NullPointerException.class);
    }

    @Test
    void theChannelTypeIsReadOnceAndAFailingOneRefusesTheAdapter() {
        int[] calls = {0};
        ChannelType type = ChannelType.builder("counted").defaultBaseUrl("https://c.example").build();
        FakeAdapter counted = new FakeAdapter(type) {
            @Override
            public ChannelType channelType() {
                calls[0]++;
                return super.channelType();
            }
        };
        InstalledAdapter installed = counted.installed(1, 0, 2, "counted", "1.0.0");
        for (int i = 0; i < 5; i++) {
            assertEquals("counted", installed.typeId());
            assertSame(type, installed.adapter().channelType());
        }
        assertEquals(1, calls[0]);
        assertSame(counted, installed.service());

        FakeAdapter broken = new FakeAdapter(type) {
            @Override
            public ChannelType channelType() {
                throw new LinkageError("half gone");
            }
        };
        PluginFailure f = assertThrows(PluginFailure.class, () -> broken.installed(3, 0, 4, "broken", "2.0.0"));
        assertTrue(f.getMessage().contains("broken 2.0.0 failed in channelType"), f.getMessage());
    }

    @Test
    void aFatalErrorOfTheWholeMachineIsNotSwallowed() {
        ContainedAdapter a = new ContainedAdapter(throwing(() -> new OutOfMemoryError("heap")), PLUGIN);
        assertThrows(OutOfMemoryError.class, () -> a.translateError(500, null, new byte[0]));
        ContainedAdapter deep = new ContainedAdapter(throwing(StackOverflowError::new), PLUGIN);
        assertNamed(assertThrows(PluginFailure.class, () -> deep.translateError(500, null, new byte[0])),
                "translateError", StackOverflowError.class);
    }
}
