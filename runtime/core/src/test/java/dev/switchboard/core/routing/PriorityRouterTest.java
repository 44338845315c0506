package dev.switchboard.core.routing;

import static dev.switchboard.core.routing.Fixtures.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.monitor.BreakerSettings;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;
import dev.switchboard.core.store.ChannelRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Candidate selection, weighted order within a tier, tier fall-through, weight 0, patterns and pinning. */
class PriorityRouterTest {

    private static final int PICKS = 10_000;

    @TempDir
    Path tmp;

    private static List<Long> ids(List<Candidate> cs) {
        return cs.stream().map(c -> c.channel().id()).toList();
    }

    private static Candidate candidate(ChannelRecord c) {
        return new Candidate(c, Fixtures.installed("fake", Operation.CHAT), "m");
    }

    @Test
    void firstChoiceSplitMatchesTheWeightsWithinTwoPoints() {
        List<Candidate> tier = List.of(candidate(channel(1, 0, 1, "m")), candidate(channel(2, 0, 3, "m")),
                candidate(channel(3, 0, 6, "m")));
        Map<Long, Integer> first = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < PICKS; i++) {
            first.merge(PriorityRouter.order(tier, random).get(0).channel().id(), 1, Integer::sum);
        }
        double[] expected = {0.1, 0.3, 0.6};
        StringBuilder measured = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            double share = first.getOrDefault((long) i + 1, 0) / (double) PICKS;
            measured.append(String.format(" channel %d: %.2f%% (weight share %.0f%%)", i + 1, share * 100,
                    expected[i] * 100));
            assertEquals(expected[i], share, 0.02, "first-choice share of channel " + (i + 1));
        }
        System.out.println("[weights] first choice over " + PICKS + " picks:" + measured);
    }

    @Test
    void theSplitHoldsWithTheProductionRandomToo() {
        List<Candidate> tier = List.of(candidate(channel(1, 0, 1, "m")), candidate(channel(2, 0, 4, "m")));
        int ones = 0;
        for (int i = 0; i < PICKS; i++) {
            if (PriorityRouter.order(tier).get(0).channel().id() == 1) {
                ones++;
            }
        }
        assertEquals(0.2, ones / (double) PICKS, 0.02);
    }

    @Test
    void everyCandidateAppearsOnceHighestTierFirstThenTheNextTierDown() {
        List<Candidate> all = List.of(candidate(channel(1, 0, 5, "m")), candidate(channel(2, 10, 1, "m")),
                candidate(channel(3, 5, 1, "m")), candidate(channel(4, 10, 1, "m")), candidate(channel(5, 5, 9, "m")),
                candidate(channel(6, -1, 1, "m")));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            List<Long> order = ids(PriorityRouter.order(all, random));
            assertEquals(6, new HashSet<>(order).size(), "never the same channel twice: " + order);
            assertEquals(java.util.Set.of(2L, 4L), new HashSet<>(order.subList(0, 2)), order.toString());
            assertEquals(java.util.Set.of(3L, 5L), new HashSet<>(order.subList(2, 4)), order.toString());
            assertEquals(List.of(1L, 6L), order.subList(4, 6), order.toString());
        }
    }

    @Test
    void weightZeroComesOnlyAfterEveryOtherChannelOfItsTier() {
        List<Candidate> tier = List.of(candidate(channel(1, 0, 0, "m")), candidate(channel(2, 0, 1, "m")),
                candidate(channel(3, 0, 0, "m")), candidate(channel(4, 0, 2, "m")),
                candidate(channel(5, -5, 1, "m")));
        SplittableRandom random = new SplittableRandom(3);
        Map<Long, Integer> zeroFirst = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            List<Long> order = ids(PriorityRouter.order(tier, random));
            assertEquals(java.util.Set.of(2L, 4L), new HashSet<>(order.subList(0, 2)), order.toString());
            assertEquals(java.util.Set.of(1L, 3L), new HashSet<>(order.subList(2, 4)), order.toString());
            assertEquals(5L, order.get(4));
            zeroFirst.merge(order.get(2), 1, Integer::sum);
        }
        // Among weight-0 channels the order is even.
        assertTrue(zeroFirst.get(1L) > 800 && zeroFirst.get(3L) > 800, zeroFirst.toString());
    }

    @Test
    void candidatesAreTheEnabledChannelsOfTheGroupListingTheModel() {
        Channels channels = Fixtures.channels(tmp,
                channel(1, 0, 1, "gpt-4o"),
                channel(2, "fake", List.of("vip"), ChannelRecord.ENABLED, Map.of(), "gpt-4o"),
                channel(3, "fake", List.of("default"), ChannelRecord.DISABLED, Map.of(), "gpt-4o"),
                channel(4, "fake", List.of("default", "vip"), ChannelRecord.ENABLED, Map.of("gpt-4o", "gpt-4o-2024"),
                        "gpt-4o"),
                channel(5, "absent", List.of("default"), ChannelRecord.ENABLED, Map.of(), "gpt-4o"),
                channel(6, 0, 1, "other"));
        PriorityRouter router = new PriorityRouter(channels, Fixtures.adapters());
        List<Candidate> cs = router.route("default", "gpt-4o", Operation.CHAT, null);
        assertEquals(java.util.Set.of(1L, 4L), new HashSet<>(ids(cs)));
        Candidate mapped = cs.stream().filter(c -> c.channel().id() == 4).findFirst().orElseThrow();
        assertEquals("gpt-4o-2024", mapped.upstreamModel());
        assertEquals(java.util.Set.of(2L, 4L), new HashSet<>(ids(router.route("vip", "gpt-4o", Operation.CHAT,
                null))));

        NoChannelException unknown = assertThrows(NoChannelException.class,
                () -> router.route("default", "nope", Operation.CHAT, null));
        assertTrue(unknown.unknownModel());
        assertEquals("no available channel for model nope", unknown.getMessage());

        NoChannelException unsupported = assertThrows(NoChannelException.class,
                () -> router.route("default", "gpt-4o", Operation.RERANK, null));
        assertFalse(unsupported.unknownModel());
        assertTrue(unsupported.getMessage().contains("channel type 'absent' is not installed"),
                unsupported.getMessage());
        assertTrue(unsupported.getMessage().contains("does not support rerank"), unsupported.getMessage());
    }

    @Test
    void prefixPatternsServeMatchingNamesAndListNone() {
        Channels channels = Fixtures.channels(tmp,
                channel(1, 0, 1, "qwen-*", "deepseek-ai/DeepSeek-R1"),
                channel(2, 0, 1, "qwen-max"),
                channel(3, 0, 1, "*"),
                channel(4, "fake", List.of("default"), ChannelRecord.DISABLED, Map.of(), "hidden"));
        PriorityRouter router = new PriorityRouter(channels, Fixtures.adapters());
        assertEquals(java.util.Set.of(1L, 2L, 3L), new HashSet<>(ids(router.route("default", "qwen-max",
                Operation.CHAT, null))));
        assertEquals(java.util.Set.of(1L, 3L), new HashSet<>(ids(router.route("default", "qwen-turbo",
                Operation.CHAT, null))));
        assertEquals(List.of(3L), ids(router.route("default", "anything", Operation.CHAT, null)));
        assertEquals(List.of("deepseek-ai/DeepSeek-R1", "qwen-max"), router.models("default"));
        assertTrue(router.serves("default", "qwen-plus"));
        assertFalse(router.serves("vip", "qwen-plus"));

        assertTrue(ModelNames.matches("qwen-*", "qwen-"));
        assertFalse(ModelNames.matches("qwen-*", "qwen"));
        assertFalse(ModelNames.matches("qwen-max", "qwen-max-latest"));
        assertTrue(ModelNames.matches("*", ""));
    }

    @Test
    void aPinnedChannelIsTheOnlyCandidateWhateverItsTierButMustBeEnabled() {
        Channels channels = Fixtures.channels(tmp, channel(1, 10, 1, "m"), channel(2, 0, 1, "m"),
                channel(3, "fake", List.of("default"), ChannelRecord.DISABLED, Map.of(), "m"));
        Breakers breakers = openBreakerOn(2);
        PriorityRouter router = new PriorityRouter(channels, Fixtures.adapters(), breakers);
        assertEquals(List.of(2L), ids(router.route("default", "m", Operation.CHAT, 2L)));
        NoChannelException disabled = assertThrows(NoChannelException.class,
                () -> router.route("default", "m", Operation.CHAT, 3L));
        assertTrue(disabled.getMessage().contains("channel 3 is disabled"), disabled.getMessage());
        NoChannelException missing = assertThrows(NoChannelException.class,
                () -> router.route("default", "m", Operation.CHAT, 99L));
        assertTrue(missing.unknownModel());
    }

    @Test
    void channelsWithAnOpenBreakerAreSkippedAndWhenAllAreTheAnswerSaysWhy() {
        Channels channels = Fixtures.channels(tmp, channel(1, 10, 1, "m"), channel(2, 0, 1, "m"));
        Breakers breakers = openBreakerOn(1);
        PriorityRouter router = new PriorityRouter(channels, Fixtures.adapters(), breakers);
        assertEquals(List.of(2L), ids(router.route("default", "m", Operation.CHAT, null)));
        for (int i = 0; i < 10; i++) {
            breakers.record(2, "m", breakers.admit(2, "m"), CallResult.FAILURE);
        }
        NoChannelException none = assertThrows(NoChannelException.class,
                () -> router.route("default", "m", Operation.CHAT, null));
        assertFalse(none.unknownModel());
        assertTrue(none.getMessage().contains("the circuit breaker of channel 1 is open (10 of 10 requests failed"
                + " within 60 s); next probe in"), none.getMessage());
        assertTrue(none.getMessage().contains("channel 2 is open"), none.getMessage());
    }

    private static Breakers openBreakerOn(long channelId) {
        Breakers b = new Breakers(new BreakerSettings(true, Duration.ofSeconds(60), 10, 50, Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        for (int i = 0; i < 10; i++) {
            Permit p = b.admit(channelId, "m");
            b.record(channelId, "m", p, CallResult.FAILURE);
        }
        return b;
    }


}
