package dev.switchboard.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jars in the plugins folder that cannot be read as bundles: half-copied (a {@code cp} still running), corrupt, or
 * not a bundle at all. FileInstall passes over them in silence until they change; this says why in the log, once
 * per version of the file (its size and modification time), and reads each version once.
 */
final class UnreadableJars {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableJars.class);

    private final Path dir;
    /** File name to the version last read and, for an unreadable one, why. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(String version, String problem) {
    }

    UnreadableJars(Path dir) {
        this.dir = dir;
    }

    /** Looks at every jar of the folder (what FileInstall watches: {@code *.jar}, not hidden). */
    void scan() {
        Set<String> present = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar") && !f.getFileName().toString()
                    .startsWith(".")).forEach(f -> {
                        present.add(f.getFileName().toString());
                        unreadable(f);
                    });
        } catch (IOException e) {
            return;
        }
        seen.keySet().retainAll(present);
    }

    /**
     * @param jar a jar of the folder
     * @return whether it cannot be read as a bundle now
     */
    boolean unreadable(Path jar) {
        String name = jar.getFileName().toString();
        String version;
        try {
            version = Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            return true;
        }
        Seen before = seen.get(name);
        if (before != null && before.version().equals(version)) {
            return before.problem() != null;
        }
        String problem = problem(jar);
        seen.put(name, new Seen(version, problem));
        if (problem != null) {
            LOG.warn("plugin {} is not a readable bundle ({}); it is ignored until the file changes (copy plugins "
                    + "in under another name, then rename them, to avoid half-written jars)", name, problem);
        }
        return problem != null;
    }

    private static String problem(Path jar) {
        // The central directory at the end of a zip is the last thing a copy writes: without it, not complete.
        try (ZipFile complete = new ZipFile(jar.toFile())) {
            PluginManager.identify(jar);
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
