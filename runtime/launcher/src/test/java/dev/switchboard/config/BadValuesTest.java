package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A value that cannot be used stops loading with a ConfigException naming the key. */
class BadValuesTest {

    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "port, abc",
        "port, 70000",
        "port, -1",
        "timeout.connect, 10",
        "timeout.connect, ten seconds",
        "limits.max_body, lots",
        "limits.max_body, 0",
        "retry_on_timeout, maybe",
        "limits.max_json_depth, 2",
        "plugins.poll, 10ms",
        "store.type, oracle",
        "store.postgres.url, postgres://db:5432/switchboard",
        "usage.buffer, 10",
    })
    void badValueInTheFileNamesItsKey(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsFiles.fromFile(home, key + "=" + value));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(value.trim()), "the message shows the value: " + e.getMessage());
    }

    @Test
    void postgresWithoutAUrlNamesTheUrlKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.load(home, null,
                Map.of("SWITCHBOARD_STORE_TYPE", "postgres"), new Properties()));
        assertEquals("store.postgres.url", e.key());
        assertTrue(e.getMessage().contains("SWITCHBOARD_STORE_POSTGRES_URL"), e.getMessage());
    }

    @Test
    void postgresWithAUrlLoads() {
        Settings s = SettingsLoader.load(home, null, Map.of("SWITCHBOARD_STORE_TYPE", "Postgres",
                "SWITCHBOARD_STORE_POSTGRES_URL", "jdbc:postgresql://db:5432/switchboard"), new Properties());
        assertEquals("postgres", s.get(Settings.STORE_TYPE));
        assertEquals("jdbc:postgresql://db:5432/switchboard", s.get(Settings.STORE_POSTGRES_URL));
    }

    @Test
    void badValueInTheEnvironmentNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SettingsLoader.load(home, null, Map.of("SWITCHBOARD_PORT", "abc"), new Properties()));
        assertEquals("port", e.key());
    }

    @Test
    void badValueInASystemPropertyNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.load(home, null, Map.of(),
                SettingsFiles.system("switchboard.retry_on_timeout", "maybe")));
        assertEquals("retry_on_timeout", e.key());
    }

    @Test
    void aBadValueOverriddenByAGoodOneIsNotAnError() {
        Path file = SettingsFiles.write(home, "port=abc");
        Settings s = SettingsLoader.load(home, file, Map.of("SWITCHBOARD_PORT", "8080"), new Properties());
        assertEquals(8080, s.get(Settings.PORT));
    }

    @Test
    void outOfRangeMessageSaysTheRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsFiles.fromFile(home, "port=70000"));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }
}
