package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durations take ms, s, m or h; sizes take B, KiB, MiB, GiB or none. */
class DurationsAndSizesTest {

    @TempDir
    Path home;

    @Test
    void durationsParseWithTheirUnits() {
        Settings s = SettingsFiles.fromFile(home, "timeout.connect=500ms", "timeout.idle=10s", "timeout.total=5m",
                "shutdown.grace=1h");
        assertEquals(Duration.ofMillis(500), s.get(Settings.TIMEOUT_CONNECT));
        assertEquals(Duration.ofSeconds(10), s.get(Settings.TIMEOUT_IDLE));
        assertEquals(Duration.ofMinutes(5), s.get(Settings.TIMEOUT_TOTAL));
        assertEquals(Duration.ofHours(1), s.get(Settings.SHUTDOWN_GRACE));
    }

    @Test
    void sizesParseWithTheirUnits() {
        Settings s = SettingsFiles.fromFile(home, "limits.max_body=32MiB", "limits.max_audio=1GiB",
                "limits.spool_threshold=512KiB");
        assertEquals(32L * 1024 * 1024, s.get(Settings.LIMITS_MAX_BODY));
        assertEquals(1024L * 1024 * 1024, s.get(Settings.LIMITS_MAX_AUDIO));
        assertEquals(512L * 1024, s.get(Settings.LIMITS_SPOOL_THRESHOLD));
    }

    @Test
    void aSizeWithoutUnitIsBytes() {
        Settings s = SettingsFiles.fromFile(home, "limits.max_body=1048576");
        assertEquals(1048576L, s.get(Settings.LIMITS_MAX_BODY));
    }

    @Test
    void booleansAcceptTheUsualWords() {
        Settings on = SettingsFiles.fromFile(home, "retry_on_timeout=yes");
        Settings off = SettingsLoader.load(home, null, Map.of("SWITCHBOARD_RETRY_ON_TIMEOUT", "false"),
                new Properties());
        assertEquals(true, on.get(Settings.RETRY_ON_TIMEOUT));
        assertEquals(false, off.get(Settings.RETRY_ON_TIMEOUT));
    }

    @Test
    void corsOriginsAreSplitOnCommasWhereverTheyCome() {
        Settings fromFile = SettingsFiles.fromFile(home, "cors.allowed_origins=https://a.example, https://b.example");
        Settings fromEnv = SettingsLoader.load(home, null,
                Map.of("SWITCHBOARD_CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example"), new Properties());
        List<String> both = List.of("https://a.example", "https://b.example");
        assertEquals(both, fromFile.corsOrigins());
        assertEquals(both, fromEnv.corsOrigins());
        assertEquals(List.of(), SettingsLoader.load(home, null, Map.of(), new Properties()).corsOrigins());
    }
}
