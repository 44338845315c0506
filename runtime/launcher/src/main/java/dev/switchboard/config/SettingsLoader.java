package dev.switchboard.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

/**
 * Reads the settings from three sources, highest first: system properties {@code -Dswitchboard.<key>}, the
 * environment {@code SWITCHBOARD_<KEY>}, and the properties file. Every value is checked; the first bad one
 * fails with a {@link ConfigException} naming its key.
 */
public final class SettingsLoader {

    /** Prefix of system properties that set a key, e.g. {@code -Dswitchboard.port=8080}. */
    public static final String SYSTEM_PREFIX = "switchboard.";

    /** System properties with the prefix that are not settings but launcher switches. */
    private static final Set<String> LAUNCHER_PROPERTIES = Set.of("switchboard.home", "switchboard.cds.archive");
    /** Read by {@code bin/switchboard} itself, not settings. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("SWITCHBOARD_HOME", "SWITCHBOARD_JAVA_OPTS",
            "SWITCHBOARD_CDS");

    private SettingsLoader() {
    }

    /**
     * @param home the installation folder; relative folders in the settings resolve against it
     * @param file the properties file; a missing file means all defaults
     * @param env the environment
     * @param system the system properties
     * @return the checked settings
     * @throws ConfigException for the first bad value, or an unreadable file
     */
    public static Settings load(Path home, Path file, Map<String, String> env, Properties system) {
        CompositeConfiguration config = new CompositeConfiguration();
        config.setThrowExceptionOnMissing(false);
        List<String> warnings = new ArrayList<>();
        Set<String> known = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());

        config.addConfiguration(new MapConfiguration(systemValues(system, known, warnings)));
        config.addConfiguration(new MapConfiguration(environmentValues(env, warnings)));
        PropertiesConfiguration fromFile = readFile(file);
        for (Iterator<String> keys = fromFile.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                warnings.add("unknown configuration key '" + key + "' in " + file + " (ignored)");
            }
        }
        config.addConfiguration(fromFile);

        Map<String, Object> values = new HashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            String raw = config.getString(setting.key(), setting.defaultValue());
            values.put(setting.key(), raw == null ? null : parse(setting, raw));
        }
        if ("postgres".equals(values.get(Settings.STORE_TYPE.key()))
                && ((String) values.get(Settings.STORE_POSTGRES_URL.key())).isEmpty()) {
            throw new ConfigException(Settings.STORE_POSTGRES_URL.key(), "is required with store.type=postgres; "
                    + "set it (or " + Settings.STORE_POSTGRES_URL.environmentName() + ") to e.g. "
                    + "jdbc:postgresql://db.internal:5432/switchboard");
        }
        return new Settings(home, values, warnings);
    }

    private static Object parse(Setting<?> setting, String raw) {
        try {
            return setting.parser().apply(raw);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(setting.key(), e.getMessage());
        }
    }

    private static PropertiesConfiguration readFile(Path file) {
        PropertiesConfiguration props = new PropertiesConfiguration();
        // Values such as CORS origin lists are ours to split; never let the library split on commas.
        props.setListDelimiterHandler(new org.apache.commons.configuration2.convert.DisabledListDelimiterHandler());
        if (file != null && Files.isRegularFile(file)) {
            try {
                new FileHandler(props).load(file.toFile());
            } catch (ConfigurationException e) {
                throw new ConfigException("(file)", "cannot read " + file + ": " + e.getMessage());
            }
        }
        return props;
    }

    private static Map<String, Object> environmentValues(Map<String, String> env, List<String> warnings) {
        Map<String, Object> out = new HashMap<>();
        Map<String, String> byEnvName = new HashMap<>();
        for (Setting<?> s : Settings.ALL) {
            byEnvName.put(s.environmentName(), s.key());
        }
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = byEnvName.get(e.getKey());
            if (key != null) {
                out.put(key, e.getValue());
            } else if (e.getKey().startsWith("SWITCHBOARD_") && !LAUNCHER_VARIABLES.contains(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        unknown.forEach(name -> warnings.add("unknown configuration variable '" + name + "' in the environment (ignored)"));
        return out;
    }

    private static Map<String, Object> systemValues(Properties system, Set<String> known, List<String> warnings) {
        Map<String, Object> out = new HashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (!name.startsWith(SYSTEM_PREFIX) || LAUNCHER_PROPERTIES.contains(name)) {
                continue;
            }
            String key = name.substring(SYSTEM_PREFIX.length());
            if (known.contains(key)) {
                out.put(key, system.getProperty(name));
            } else {
                warnings.add("unknown configuration property '-D" + name + "' (ignored)");
            }
        }
        return out;
    }
}
