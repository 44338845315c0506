package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -Dswitchboard.key beats SWITCHBOARD_KEY beats the file beats the default. */
class SettingsPrecedenceTest {

    @TempDir
    Path home;

    @Test
    void systemPropertyBeatsEnvironmentAndFile() {
        Path file = SettingsFiles.write(home, "port=1111");
        Settings s = SettingsLoader.load(home, file, Map.of("SWITCHBOARD_PORT", "2222"),
                SettingsFiles.system("switchboard.port", "3333"));
        assertEquals(3333, s.get(Settings.PORT));
    }

    @Test
    void environmentBeatsFile() {
        Path file = SettingsFiles.write(home, "port=1111");
        Settings s = SettingsLoader.load(home, file, Map.of("SWITCHBOARD_PORT", "2222"), new Properties());
        assertEquals(2222, s.get(Settings.PORT));
    }

    @Test
    void fileBeatsDefault() {
        Settings s = SettingsFiles.fromFile(home, "port=1111");
        assertEquals(1111, s.get(Settings.PORT));
    }

    @Test
    void defaultsApplyWhenNothingSetsAKey() {
        Settings s = SettingsLoader.load(home, home.resolve("missing.properties"), Map.of(), new Properties());
        assertEquals(3000, s.get(Settings.PORT));
        assertEquals(java.time.Duration.ofSeconds(10), s.get(Settings.TIMEOUT_CONNECT));
        assertEquals(32L * 1024 * 1024, s.get(Settings.LIMITS_MAX_BODY));
        assertEquals(false, s.get(Settings.RETRY_ON_TIMEOUT));
        assertTrue(s.optional(Settings.ADMIN_TOKEN).isEmpty());
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
    }

    @Test
    void eachKeyTakesItsOwnHighestSource() {
        Path file = SettingsFiles.write(home, "port=1111", "host=file.example", "timeout.idle=7s");
        Settings s = SettingsLoader.load(home, file, Map.of("SWITCHBOARD_HOST", "env.example"),
                SettingsFiles.system("switchboard.timeout.idle", "9s"));
        assertEquals(1111, s.get(Settings.PORT));
        assertEquals("env.example", s.get(Settings.HOST));
        assertEquals(java.time.Duration.ofSeconds(9), s.get(Settings.TIMEOUT_IDLE));
    }

    @Test
    void systemPropertiesWithoutThePrefixAreIgnored() {
        Settings s = SettingsLoader.load(home, null, Map.of(), SettingsFiles.system("port", "4444"));
        assertEquals(3000, s.get(Settings.PORT));
    }
}
