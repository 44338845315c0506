package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

class LogLinesTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private LogLines lines(ZoneId zone) {
        return new LogLines(() -> out, "request-log", "requests", zone);
    }

    private static void message(StringBuilder b, String text) {
        b.append(text);
    }

    @Test
    void aLineHasTheLayoutOfTheOtherLogLines() {
        LogLines lines = lines(ZoneId.of("UTC"));
        lines.add(1_795_878_878_007L, "rid-1 token=3 status=200", LogLinesTest::message);
        lines.flush();
        assertEquals("2026-11-28T15:14:38.007Z [request-log] INFO requests - rid-1 token=3 status=200"
                + System.lineSeparator(), written());
    }

    @Test
    void theTimeIsWhatSlf4jSimplesDateFormatWouldWrite() {
        Random random = new Random(7);
        for (String zone : new String[] {"UTC", "Asia/Shanghai", "Europe/Berlin", "America/St_Johns"}) {
            SimpleDateFormat expected = new SimpleDateFormat(LogLines.DATE_FORMAT);
            expected.setTimeZone(TimeZone.getTimeZone(zone));
            LogLines lines = lines(ZoneId.of(zone));
            long at = 1_790_000_000_000L;
            for (int i = 0; i < 2_000; i++) {
                // Mostly within the same second, now and then across a day (and so across daylight saving).
                at += i % 100 == 0 ? random.nextInt(86_400_000) : random.nextInt(700);
                bytes.reset();
                lines.add(at, "m", LogLinesTest::message);
                lines.flush();
                assertEquals(expected.format(new Date(at)) + " [request-log] INFO requests - m"
                        + System.lineSeparator(), written(), zone + " at " + at);
            }
        }
    }

    @Test
    void linesAreWrittenTogetherAtTheFlush() {
        LogLines lines = lines(ZoneId.of("UTC"));
        lines.add(0, "first", LogLinesTest::message);
        lines.add(1, "second", LogLinesTest::message);
        out.flush();
        assertEquals("", written());
        lines.flush();
        assertEquals(2, written().lines().count());
        assertTrue(written().lines().toList().get(1).endsWith(" - second"), written());
        lines.flush();
        assertEquals(2, written().lines().count(), "a flush with nothing gathered writes nothing");
    }

    @Test
    void aLongBatchIsWrittenBeforeTheFlush() {
        LogLines lines = lines(ZoneId.of("UTC"));
        String text = "x".repeat(1_000);
        for (int i = 0; i < 100; i++) {
            lines.add(i, text, LogLinesTest::message);
        }
        out.flush();
        long early = written().lines().count();
        assertTrue(early > 0 && early < 100, early + " lines written before the flush");
        lines.flush();
        assertEquals(100, written().lines().count());
    }

    @Test
    void aMessageThatFailsLeavesNoPartOfItsLine() {
        LogLines lines = lines(ZoneId.of("UTC"));
        lines.add(0, "before", LogLinesTest::message);
        assertThrows(IllegalStateException.class, () -> lines.add(0, "broken", (b, s) -> {
            b.append("half of it");
            throw new IllegalStateException("broken outcome");
        }));
        lines.add(0, "after", LogLinesTest::message);
        lines.flush();
        assertEquals(2, written().lines().count(), written());
        assertTrue(written().lines().allMatch(l -> l.startsWith("1970-01-01T00:00:00.000Z [request-log] INFO")),
                written());
    }

    private static Map<String, String> launcherSettings() {
        Map<String, String> p = new HashMap<>();
        p.put("org.slf4j.simpleLogger.logFile", "System.out");
        p.put("org.slf4j.simpleLogger.showDateTime", "true");
        p.put("org.slf4j.simpleLogger.dateTimeFormat", LogLines.DATE_FORMAT);
        p.put("org.slf4j.simpleLogger.showShortLogName", "true");
        return p;
    }

    @Test
    void batchesAreUsedOnlyWhereTheirLinesAreTheLoggersOwn() {
        var log = LoggerFactory.getLogger("switchboard.requests");
        assertNotNull(LogLines.matching(log, "request-log", launcherSettings()::get), "the launcher's settings");
        Map<String, String> err = launcherSettings();
        err.remove("org.slf4j.simpleLogger.logFile");
        assertNotNull(LogLines.matching(log, "request-log", err::get), "standard error, slf4j-simple's default");

        Map<String, Map.Entry<String, String>> others = Map.of(
                "a log file", Map.entry("org.slf4j.simpleLogger.logFile", "/var/log/switchboard.log"),
                "another date format", Map.entry("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss"),
                "no date", Map.entry("org.slf4j.simpleLogger.showDateTime", "false"),
                "no thread name", Map.entry("org.slf4j.simpleLogger.showThreadName", "false"),
                "level in brackets", Map.entry("org.slf4j.simpleLogger.levelInBrackets", "true"),
                "full logger name", Map.entry("org.slf4j.simpleLogger.showShortLogName", "false"));
        others.forEach((what, setting) -> {
            Map<String, String> p = launcherSettings();
            p.put(setting.getKey(), setting.getValue());
            assertNull(LogLines.matching(log, "request-log", p::get), what);
        });
        assertNull(LogLines.matching(NOPLogger.NOP_LOGGER, "request-log", launcherSettings()::get),
                "another logging provider");
    }
}
