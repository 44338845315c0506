package dev.switchboard.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration key: its name, default and parser. Parsers throw {@link IllegalArgumentException} with a
 * message saying what is expected; the loader adds the key.
 *
 * @param key the key as written in {@code switchboard.properties}
 * @param defaultValue the value when nothing sets it, as text; {@code null} for none
 * @param parser turns the text into the typed value
 * @param secret whether the value must never be printed
 * @param <T> the value type
 */
public record Setting<T>(String key, String defaultValue, Function<String, T> parser, boolean secret) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    /** @return the environment variable for the key: upper case, dots and dashes to underscores */
    public String environmentName() {
        return environmentName(key);
    }

    /**
     * @param key a configuration key
     * @return its environment variable, e.g. {@code store.postgres.url} -> {@code SWITCHBOARD_STORE_POSTGRES_URL}
     */
    public static String environmentName(String key) {
        return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Setting<String> text(String key, String defaultValue) {
        return new Setting<>(key, defaultValue, s -> s, false);
    }

    static Setting<String> secret(String key) {
        return new Setting<>(key, null, s -> s, true);
    }

    /** One of a fixed set of words, e.g. {@code mapdb} or {@code postgres}. */
    static Setting<String> choice(String key, String defaultValue, String... allowed) {
        java.util.List<String> words = java.util.List.of(allowed);
        return new Setting<>(key, defaultValue, s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (!words.contains(v)) {
                throw new IllegalArgumentException("'" + s + "' is not one of " + String.join(", ", words));
            }
            return v;
        }, false);
    }

    /** A JDBC URL of PostgreSQL, or empty. */
    static Setting<String> postgresUrl(String key) {
        return new Setting<>(key, "", s -> {
            String v = s.trim();
            if (!v.isEmpty() && !v.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("'" + v + "' is not a PostgreSQL JDBC URL; write e.g. "
                        + "jdbc:postgresql://db.internal:5432/switchboard");
            }
            return v;
        }, false);
    }

    static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
        return new Setting<>(key, Integer.toString(defaultValue), s -> {
            int v;
            try {
                v = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a whole number");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(v + " is out of range; use " + min + " to " + max);
            }
            return v;
        }, false);
    }

    static Setting<Boolean> bool(String key, boolean defaultValue) {
        return new Setting<>(key, Boolean.toString(defaultValue), s -> {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on": return true;
                case "false": case "no": case "off": return false;
                default: throw new IllegalArgumentException("'" + s + "' is not true or false");
            }
        }, false);
    }

    static Setting<Duration> duration(String key, String defaultValue, Duration min) {
        return new Setting<>(key, defaultValue, s -> {
            Matcher m = DURATION.matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a duration; write e.g. 500ms, 10s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException("'" + s + "' is too short; the minimum is " + min.toMillis() + "ms");
            }
            return d;
        }, false);
    }

    /** A comma-separated list of IP addresses or CIDR blocks (literal, never looked up), empty by default. */
    static Setting<java.util.List<String>> addresses(String key) {
        return new Setting<>(key, "", s -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String part : s.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                String[] cidr = p.split("/", 2);
                boolean ok = cidr[0].matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
                if (ok) {
                    try {
                        int max = cidr[0].contains(":") ? 128 : 32;
                        byte[] addr = java.net.InetAddress.getByName(cidr[0]).getAddress();
                        int bits = cidr.length == 2 ? Integer.parseInt(cidr[1]) : addr.length * 8;
                        ok = addr.length * 8 == max && bits >= 0 && bits <= max;
                    } catch (java.net.UnknownHostException | NumberFormatException e) {
                        ok = false;
                    }
                }
                if (!ok) {
                    throw new IllegalArgumentException("'" + p + "' is not an IP address or CIDR block; write e.g. "
                            + "127.0.0.1, 10.0.0.0/8 or ::1, comma-separated");
                }
                out.add(p);
            }
            return java.util.List.copyOf(out);
        }, false);
    }

    static Setting<Long> size(String key, String defaultValue) {
        return new Setting<>(key, defaultValue, s -> {
            Matcher m = SIZE.matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a size; write e.g. 32MiB, 512KiB or 1048576");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            long factor = switch (unit) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                case "GiB" -> 1L << 30;
                default -> 1L;
            };
            if (n <= 0) {
                throw new IllegalArgumentException("'" + s + "' must be larger than 0");
            }
            return Math.multiplyExact(n, factor);
        }, false);
    }
}
