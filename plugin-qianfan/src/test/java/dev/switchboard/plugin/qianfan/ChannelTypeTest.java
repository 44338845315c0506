package dev.switchboard.plugin.qianfan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What the console and the admin API learn about the qianfan type. */
class ChannelTypeTest {

    private final QianfanAdapter adapter = new QianfanAdapter();

    @Test
    void theTypeDescribesBothApis() {
        ChannelType t = adapter.channelType();
        assertSame(t, adapter.channelType(), "the same instance every time");
        assertEquals("qianfan", t.id());
        assertEquals("https://aip.baidubce.com", t.defaultBaseUrl());
        assertTrue(t.keyHint().contains("API_KEY|SECRET_KEY") && t.keyHint().contains("bce-v3/"), t.keyHint());
        assertEquals(List.of("api_version", "endpoints", "appid"), t.configFields().stream().map(ConfigField::name)
                .toList());
        ConfigField version = t.configFields().get(0);
        assertEquals(ConfigField.Kind.CHOICE, version.kind());
        assertEquals(List.of("v1", "v2"), version.choices());
        assertEquals("v1", version.defaultValue());
        assertTrue(version.description().contains("https://qianfan.baidubce.com/v2"), version.description());
        assertEquals(ConfigField.Kind.OBJECT, t.configFields().get(1).kind());
        assertEquals(Set.of(Operation.CHAT, Operation.EMBEDDINGS, Operation.RERANK), t.operations());
        assertTrue(t.defaultModels().containsAll(List.of("ERNIE-4.0-8K", "Embedding-V1", "bce-reranker-base_v1",
                "ernie-4.5-turbo-128k")));
    }

    @Test
    void balanceIsNotOffered() {
        assertFalse(adapter.channelType().operations().contains(Operation.BALANCE));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> adapter.balance(TestChannel.v1(1, "a|b", "http://127.0.0.1:9"), null).toCompletableFuture().get());
        assertTrue(e.getCause().getMessage().contains("not available"), e.getCause().getMessage());
    }

    @Test
    void configIsCheckedForBadEndpointsAndBlankAppIds() {
        assertEquals(List.of(), adapter.validateConfig(TestRequest.parse(
                "{\"api_version\":\"v1\",\"endpoints\":{\"my-model\":\"abc_1\"}}")));
        List<String> problems = adapter.validateConfig(TestRequest.parse(
                "{\"api_version\":\"v2\",\"endpoints\":{\"m\":\"/abs\"},\"appid\":\" \"}"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(1).startsWith("config.appid"), problems.toString());
    }
}
