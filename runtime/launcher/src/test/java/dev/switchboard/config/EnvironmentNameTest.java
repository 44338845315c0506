package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key a.b_c is the variable SWITCHBOARD_A_B_C. */
class EnvironmentNameTest {

    @TempDir
    Path home;

    @Test
    void dotsBecomeUnderscoresAndLettersUpperCase() {
        assertEquals("SWITCHBOARD_STORE_POSTGRES_URL", Setting.environmentName("store.postgres.url"));
        assertEquals("SWITCHBOARD_DATA_DIR", Setting.environmentName("data.dir"));
        assertEquals("SWITCHBOARD_PORT", Setting.environmentName("port"));
        assertEquals("SWITCHBOARD_TIMEOUT_FIRST_BYTE", Settings.TIMEOUT_FIRST_BYTE.environmentName());
        assertEquals("SWITCHBOARD_ADMIN_TOKEN", Settings.ADMIN_TOKEN.environmentName());
    }

    @Test
    void variablesNamedByTheRuleSetTheirKeys() {
        Settings s = SettingsLoader.load(home, null, Map.of(
                "SWITCHBOARD_DATA_DIR", "state",
                "SWITCHBOARD_TIMEOUT_FIRST_BYTE", "45s",
                "SWITCHBOARD_LIMITS_MAX_BODY", "2MiB",
                "SWITCHBOARD_ADMIN_TOKEN", "from-env"), new Properties());
        assertEquals("state", s.get(Settings.DATA_DIR));
        assertEquals(java.time.Duration.ofSeconds(45), s.get(Settings.TIMEOUT_FIRST_BYTE));
        assertEquals(2L * 1024 * 1024, s.get(Settings.LIMITS_MAX_BODY));
        assertEquals("from-env", s.optional(Settings.ADMIN_TOKEN).orElseThrow());
        assertEquals(java.util.List.of(), s.warnings());
    }

    @Test
    void variablesOutsideTheRuleDoNotSetKeys() {
        Settings s = SettingsLoader.load(home, null, Map.of("PORT", "1234", "switchboard_port", "1235"),
                new Properties());
        assertEquals(3000, s.get(Settings.PORT));
    }
}
