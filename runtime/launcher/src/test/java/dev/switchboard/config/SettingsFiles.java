package dev.switchboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Helpers that write a properties file and load settings from explicit sources, never the real ones. */
final class SettingsFiles {

    private SettingsFiles() {
    }

    static Path write(Path dir, String... lines) {
        Path file = dir.resolve("switchboard.properties");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Properties system(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    static Settings load(Path home, Path file, Map<String, String> env, Properties system) {
        return SettingsLoader.load(home, file, env, system);
    }

    static Settings fromFile(Path home, String... lines) {
        return load(home, write(home, lines), Map.of(), new Properties());
    }
}
