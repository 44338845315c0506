package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown keys do not stop loading: each is a warning that names it. */
class UnknownKeysTest {

    @TempDir
    Path home;

    @Test
    void unknownKeyInTheFileIsAWarningNamingIt() {
        Settings s = SettingsFiles.fromFile(home, "port=8080", "prot=8081");
        assertEquals(8080, s.get(Settings.PORT));
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("'prot'"), s.warnings().get(0));
    }

    @Test
    void unknownVariableInTheEnvironmentIsAWarningNamingIt() {
        Settings s = SettingsLoader.load(home, null, Map.of("SWITCHBOARD_PROT", "8081", "PATH", "/bin"),
                new Properties());
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("SWITCHBOARD_PROT"), s.warnings().get(0));
    }

    @Test
    void unknownSystemPropertyIsAWarningNamingIt() {
        Settings s = SettingsLoader.load(home, null, Map.of(),
                SettingsFiles.system("switchboard.prot", "8081", "java.version", "17"));
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("switchboard.prot"), s.warnings().get(0));
    }

    @Test
    void launcherSwitchesAreNotReportedAsUnknown() {
        Settings s = SettingsLoader.load(home, null,
                Map.of("SWITCHBOARD_HOME", "/opt/sb", "SWITCHBOARD_JAVA_OPTS", "-Xmx1g", "SWITCHBOARD_CDS", "off"),
                SettingsFiles.system("switchboard.home", "/opt/sb", "switchboard.cds.archive", "data/cache/c.jsa"));
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void everyKnownKeyInTheFileIsSilent() {
        Settings s = SettingsFiles.fromFile(home, "port=8080", "host=127.0.0.1", "data.dir=d", "timeout.total=1h",
                "cors.allowed_origins=https://a.example", "stream.keepalive=15s");
        assertEquals(List.of(), s.warnings());
    }
}
