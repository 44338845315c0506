package dev.switchboard.launcher;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SettingsLoader;
import java.nio.file.Path;

/**
 * Entry point of {@code bin/switchboard}. Exit status: 0 after a stop by signal, 1 when the gateway failed,
 * 2 for a configuration error.
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args none to run the gateway; {@code backup [--url URL] FILE} or {@code restore FILE} for the store
     *     commands. Settings come from {@code conf/switchboard.properties}, the environment and
     *     {@code -Dswitchboard.<key>}
     */
    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("switchboard.home", ".")).toAbsolutePath().normalize();
        Logging.configure();
        Settings settings;
        try {
            settings = SettingsLoader.load(home, home.resolve("conf").resolve("switchboard.properties"),
                    System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            System.err.println("switchboard: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (args.length > 0) {
            System.exit(new StoreCommands(settings, System.out, System.err).run(java.util.List.of(args)));
            return;
        }
        GatewayRuntime runtime = new GatewayRuntime(settings);
        System.exit(runtime.run());
    }
}
