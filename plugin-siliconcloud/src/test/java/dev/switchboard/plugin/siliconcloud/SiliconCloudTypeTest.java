package dev.switchboard.plugin.siliconcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.provider.Operation;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The channel type and the China / international / custom base choice. */
class SiliconCloudTypeTest {

    @Test
    void theTypeAsOperatorsSeeIt() {
        assertEquals("siliconcloud", SiliconCloudType.TYPE.id());
        assertEquals("https://api.siliconflow.cn/v1", SiliconCloudType.TYPE.defaultBaseUrl());
        assertEquals(Set.of(Operation.CHAT, Operation.COMPLETIONS, Operation.EMBEDDINGS, Operation.RERANK,
                Operation.IMAGES, Operation.SPEECH, Operation.TRANSCRIPTION, Operation.MODELS, Operation.BALANCE),
                SiliconCloudType.TYPE.operations());
        assertEquals("region", SiliconCloudType.TYPE.configFields().get(0).name());
        assertEquals("cn", SiliconCloudType.TYPE.configFields().get(0).defaultValue());
    }

    @Test
    void chinaByDefaultInternationalByRegionCustomAlways() {
        assertEquals("https://api.siliconflow.cn/v1", SiliconCloudType.baseUrl(Fixtures.channel("{}")));
        assertEquals("https://api.siliconflow.cn/v1", SiliconCloudType.baseUrl(Fixtures.channel("{\"region\":\"cn\"}")));
        assertEquals("https://api.siliconflow.com/v1",
                SiliconCloudType.baseUrl(Fixtures.channel("{\"region\":\"intl\"}")));
        assertEquals("http://127.0.0.1:8080/v1",
                SiliconCloudType.baseUrl(Fixtures.custom("http://127.0.0.1:8080/v1", "{\"region\":\"intl\"}")));
    }

    @Test
    void balancesAreInYuanExceptOnTheInternationalSite() {
        assertEquals("CNY", SiliconCloudType.currency(Fixtures.channel("{}")));
        assertEquals("USD", SiliconCloudType.currency(Fixtures.channel("{\"region\":\"intl\"}")));
        assertEquals("USD", SiliconCloudType.currency(Fixtures.custom("https://api.siliconflow.com/v1", "{}")));
        assertEquals("CNY", SiliconCloudType.currency(Fixtures.custom("http://127.0.0.1:8080/v1", "{\"region\":\"intl\"}")));
    }
}
