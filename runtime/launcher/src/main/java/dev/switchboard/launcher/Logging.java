package dev.switchboard.launcher;

/**
 * Defaults for slf4j-simple, the launcher's logging provider: timestamps, output on stdout, quiet libraries.
 * An operator overrides any of them with {@code -Dorg.slf4j.simpleLogger...}.
 */
final class Logging {

    private Logging() {
    }

    static void configure() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.mapdb", "warn");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
