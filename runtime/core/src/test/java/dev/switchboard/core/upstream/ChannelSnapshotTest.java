package dev.switchboard.core.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.provider.ChannelType;
import org.junit.jupiter.api.Test;

class ChannelSnapshotTest {

    private static final ChannelType OPENAI = ChannelType.builder("openai").name("OpenAI")
            .defaultBaseUrl("https://api.openai.com/v1").build();
    private static final ChannelType QWEN = ChannelType.builder("qwen").name("Qwen")
            .defaultBaseUrl("https://dashscope.aliyuncs.com/compatible-mode/v1/").build();

    @Test
    void aBaseWithoutPathGetsTheTypesDefaultPath() {
        assertEquals("http://10.0.0.5:3000/v1", ChannelSnapshot.withDefaultPath("http://10.0.0.5:3000", OPENAI));
        assertEquals("http://10.0.0.5:3000/v1", ChannelSnapshot.withDefaultPath("http://10.0.0.5:3000/", OPENAI));
        assertEquals("http://proxy.local/compatible-mode/v1",
                ChannelSnapshot.withDefaultPath("http://proxy.local", QWEN));
    }

    @Test
    void aBaseWithAPathIsKeptWithoutItsTrailingSlash() {
        assertEquals("http://10.0.0.5:3000/openai/v1",
                ChannelSnapshot.withDefaultPath("http://10.0.0.5:3000/openai/v1/", OPENAI));
    }

    @Test
    void repeatedAndInterleavedLookupsGiveEachPairItsOwnAnswer() {
        // Many bases, asked again and again, one base under two types: each pair gets its own answer.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1500; i++) {
                String base = "http://host-" + i + ".local";
                assertEquals(base + "/v1", ChannelSnapshot.withDefaultPath(base, OPENAI));
                assertEquals(base + "/compatible-mode/v1", ChannelSnapshot.withDefaultPath(base, QWEN));
                assertEquals(base + "/x", ChannelSnapshot.withDefaultPath(base + "/x", QWEN));
            }
        }
    }

    @Test
    void anInvalidBaseFailsEveryTime() {
        assertThrows(IllegalArgumentException.class, () -> ChannelSnapshot.withDefaultPath("http://a b", OPENAI));
        assertThrows(IllegalArgumentException.class, () -> ChannelSnapshot.withDefaultPath("http://a b", OPENAI));
    }
}
