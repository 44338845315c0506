package dev.switchboard.core.relay;

import static dev.switchboard.core.routing.Fixtures.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.routing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A plugin call that holds a network thread is counted each time and logged once a minute per plugin and method. */
class PluginClockTest {

    private final Candidate candidate = new Candidate(channel(7, 0, 1, "m"), Fixtures.installed("acme",
            Operation.CHAT), "m");
    private final List<String> counted = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long now = TimeUnit.HOURS.toNanos(1);
    private final PluginClock clock = new PluginClock(new RelayMeter() {
        @Override
        public void slowPluginCall(String plugin, String method) {
            counted.add(plugin + " " + method);
        }
    }, warnings::add, () -> now);

    private void call(String method, long millis) {
        long start = clock.start();
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        clock.took(candidate, method, start);
    }

    @Test
    void aQuickCallIsNeitherCountedNorLogged() {
        call("prepare", 19);
        assertEquals(List.of(), counted);
        assertEquals(List.of(), warnings);
    }

    @Test
    void aSlowCallIsCountedAndLoggedNamingPluginMethodAndChannel() {
        call("prepare", 120);
        assertEquals(List.of("test.acme 1.0.0 prepare"), counted);
        assertEquals(1, warnings.size());
        String w = warnings.get(0);
        assertTrue(w.startsWith("the plugin test.acme 1.0.0 held a network thread for 120 ms in prepare (channel 7)"),
                w);
    }

    @Test
    void theWarningRepeatsAtMostOnceAMinutePerPluginAndMethodWhileEveryCallIsCounted() {
        call("prepare", 50);
        call("prepare", 50);
        call("StreamTranslator.onEvent", 50);
        assertEquals(3, counted.size());
        assertEquals(2, warnings.size(), "one per method: " + warnings);

        now += TimeUnit.SECONDS.toNanos(59);
        call("prepare", 50);
        assertEquals(2, warnings.size(), "still within the minute");
        now += TimeUnit.SECONDS.toNanos(2);
        call("prepare", 50);
        assertEquals(3, warnings.size(), "a minute later it is said again");
        assertEquals(5, counted.size());
    }
}
