package dev.switchboard.core.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.core.testkit.FakeAdapter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which adapter serves a channel type while plugins come, go and are replaced. */
class AdapterRegistryTest {

    private final AdapterRegistry registry = new AdapterRegistry();

    @Test
    void anAddedTypeIsFoundUntilItIsRemoved() {
        InstalledAdapter openai = FakeAdapter.openai().installed(10, 0, 5, "dev.switchboard.plugin.openai", "1.0.0");
        registry.add(openai);
        assertSame(openai, registry.find("openai").orElseThrow());
        assertTrue(registry.find("qwen").isEmpty());
        registry.remove(10);
        assertTrue(registry.find("openai").isEmpty());
        assertEquals(List.of(), registry.installed());
    }

    @Test
    void aReplacementBoundBeforeTheOldOneUnboundTakesOverWhenItGoesAndTheTypeNeverDisappears() {
        InstalledAdapter v1 = FakeAdapter.openai().installed(10, 0, 5, "openai-plugin", "1.0.0");
        InstalledAdapter v2 = FakeAdapter.openai().installed(11, 0, 6, "openai-plugin", "1.1.0");
        registry.add(v1);
        registry.add(v2);
        assertSame(v1, registry.find("openai").orElseThrow(), "equal rankings: the older service, as OSGi orders");
        assertEquals(List.of(v1), registry.installed());
        registry.remove(10);
        assertSame(v2, registry.find("openai").orElseThrow());
        assertEquals(List.of(v2), registry.installed());
    }

    @Test
    void removingTheWinnerFallsBackToTheShadowed() {
        InstalledAdapter v1 = FakeAdapter.openai().installed(10, 0, 5, "openai-plugin", "1.0.0");
        InstalledAdapter v2 = FakeAdapter.openai().installed(11, 0, 6, "other-openai", "1.1.0");
        registry.add(v1);
        registry.add(v2);
        assertEquals(List.of(new AdapterRegistry.Shadowed(v2, v1)), registry.shadowedOf(6));
        assertEquals(List.of(), registry.typesOf(6), "a shadowed plugin serves nothing");
        registry.remove(10);
        assertSame(v2, registry.find("openai").orElseThrow());
        assertEquals(List.of("openai"), registry.typesOf(6));
        assertEquals(List.of(), registry.shadowedOf(6));
    }

    @Test
    void theHigherRankingWinsWhateverTheOrderAndTheOthersAreShadowedBestFirst() {
        InstalledAdapter ranked = FakeAdapter.openai().installed(12, 5, 5, "preferred", "1.0.0");
        InstalledAdapter older = FakeAdapter.openai().installed(10, 0, 6, "older", "2.0.0");
        InstalledAdapter middle = FakeAdapter.openai().installed(11, 4, 7, "middle", "3.0.0");
        registry.add(older);
        registry.add(ranked);
        registry.add(middle);
        assertSame(ranked, registry.find("openai").orElseThrow());
        assertEquals(List.of(ranked), registry.installed());
        assertEquals(List.of(middle, older), registry.shadowedFor("openai"));
        assertEquals(List.of(new AdapterRegistry.Shadowed(older, ranked)), registry.shadowedOf(6));
        assertEquals(List.of(), registry.shadowedOf(5));
        assertEquals(List.of("openai"), registry.typesOf(5));

        registry.remove(12);
        assertSame(middle, registry.find("openai").orElseThrow(), "the next best takes over");
        assertEquals(List.of(older), registry.shadowedFor("openai"));
    }

    @Test
    void installedListsOneAdapterPerTypeOrderedById() {
        registry.add(FakeAdapter.qwen().installed(1, 0, 5, "qwen-plugin", "1.0.0"));
        registry.add(FakeAdapter.openai().installed(2, 0, 6, "openai-plugin", "1.0.0"));
        registry.add(FakeAdapter.bare("siliconcloud").installed(3, 0, 7, "sc-plugin", "1.0.0"));
        registry.add(FakeAdapter.openai().installed(4, 5, 8, "openai-plugin", "1.0.1"));
        assertEquals(List.of("openai", "qwen", "siliconcloud"),
                registry.installed().stream().map(InstalledAdapter::typeId).toList());
        assertEquals("1.0.1", registry.installed().get(0).bundleVersion());
    }

    @Test
    void typesOfABundleAreItsTypesSorted() {
        registry.add(FakeAdapter.openai().installed(1, 0, 7, "multi", "1.0.0"));
        registry.add(FakeAdapter.bare("azure").installed(2, 0, 7, "multi", "1.0.0"));
        registry.add(FakeAdapter.qwen().installed(3, 0, 8, "qwen-plugin", "1.0.0"));
        assertEquals(List.of("azure", "openai"), registry.typesOf(7));
        assertEquals(List.of("qwen"), registry.typesOf(8));
        assertEquals(List.of(), registry.typesOf(99));
        registry.remove(2);
        assertEquals(List.of("openai"), registry.typesOf(7));
    }

    @Test
    void listenersHearEveryArrivalAndDeparture() {
        AtomicInteger calls = new AtomicInteger();
        registry.onChange(calls::incrementAndGet);
        registry.add(FakeAdapter.openai().installed(1, 0, 7, "p", "1.0.0"));
        assertEquals(1, calls.get());
        registry.add(FakeAdapter.qwen().installed(2, 0, 7, "p", "1.0.0"));
        assertEquals(2, calls.get());
        registry.remove(1);
        assertEquals(3, calls.get());
        registry.remove(1);
        registry.remove(42);
        assertEquals(3, calls.get(), "removing what is not there changes nothing");
    }

    @Test
    void anAdapterThatCannotDescribeItsTypeIsNotInstalled() {
        ChannelType type = ChannelType.builder("broken").defaultBaseUrl("https://x.example").build();
        FakeAdapter broken = new FakeAdapter(type) {
            @Override
            public ChannelType channelType() {
                throw new IllegalStateException("plugin bug");
            }
        };
        AtomicInteger calls = new AtomicInteger();
        registry.onChange(calls::incrementAndGet);
        registry.register(broken, 1, 0, 7, "broken-plugin", "1.0.0");
        registry.register(FakeAdapter.openai(), 2, 0, 8, "openai-plugin", "1.0.0");
        assertEquals(1, calls.get());
        assertEquals(List.of("openai"), registry.installed().stream().map(InstalledAdapter::typeId).toList());
        assertTrue(registry.find("openai").isPresent());
    }
}
