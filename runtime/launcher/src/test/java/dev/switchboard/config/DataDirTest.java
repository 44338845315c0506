package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders given relative resolve against the installation folder, never the working directory. */
class DataDirTest {

    @TempDir
    Path home;

    @TempDir
    Path elsewhere;

    @Test
    void defaultDataDirIsUnderHome() {
        Settings s = SettingsLoader.load(home, null, Map.of(), new Properties());
        assertEquals(home.resolve("data").toAbsolutePath().normalize(), s.dataDir());
        assertEquals(home.resolve("plugins").toAbsolutePath().normalize(), s.pluginsDir());
    }

    @Test
    void relativeDataDirResolvesAgainstHome() {
        Settings s = SettingsFiles.fromFile(home, "data.dir=var/../state");
        assertEquals(home.resolve("state").toAbsolutePath().normalize(), s.dataDir());
    }

    @Test
    void absoluteDataDirIsKept() {
        Settings s = SettingsLoader.load(home, null, Map.of("SWITCHBOARD_DATA_DIR", elsewhere.toString()),
                new Properties());
        assertEquals(elsewhere.toAbsolutePath().normalize(), s.dataDir());
    }

    @Test
    void homeIsWhatTheLauncherGave() {
        assertEquals(home, SettingsLoader.load(home, null, Map.of(), new Properties()).home());
    }
}
