package dev.switchboard.config;

/** A configuration value that cannot be used; the message names the key and what is expected. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the offending key, e.g. {@code port}
     * @param message what is wrong and what is expected
     */
    public ConfigException(String key, String message) {
        super("configuration key '" + key + "': " + message);
        this.key = key;
    }

    /** @return the offending key */
    public String key() {
        return key;
    }
}
