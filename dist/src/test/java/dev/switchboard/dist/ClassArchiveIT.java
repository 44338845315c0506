package dev.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data sharing: the first clean stop archives the loaded classes in data/cache, later starts map them, a
 * changed installation makes a new archive, and SWITCHBOARD_CDS=off leaves it all out.
 */
@Timeout(120)
class ClassArchiveIT {

    private static final String ADMIN = "e2e-class-archive-admin";

    @TempDir
    Path tmp;

    private Distribution dist;

    @AfterEach
    void stop() {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    void firstStopWritesTheArchiveAndTheNextStartMapsIt() throws IOException {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_CDS", null)
                .env("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        Distribution.Instance first = dist.start().awaitHealthy();
        assertEquals(200, first.get("/api/channels", ADMIN).status());
        stopCleanly(first);
        List<Path> archives = archives();
        assertEquals(1, archives.size(), "one archive after the first stop: " + archives + first.output());
        assertTrue(first.stdout().contains("class-data archive for faster starts written to"), first.output());
        assertFalse(first.output().contains("unknown configuration"), "the launcher's switches are known"
                + first.output());
        assertTrue(Files.size(archives.get(0)) > 1 << 20, "an archive of the loaded classes");

        // The JVM says where each class came from: the launcher's and a bundle's from the archive this time.
        Distribution.Instance second = dist.start(Map.of("SWITCHBOARD_JAVA_OPTS", "-Xlog:class+load=info:stdout"))
                .awaitHealthy();
        assertEquals(200, second.get("/api/channels", ADMIN).status());
        assertTrue(loadedFromArchive(second, "dev.switchboard.launcher.Main"), "launcher class mapped");
        assertTrue(loadedFromArchive(second, "dev.switchboard.core.Gateway"), "core bundle class mapped");
        assertFalse(second.output().contains("[warning]"), "no JVM warning" + second.output());
        stopCleanly(second);
        assertEquals(archives, archives(), "the archive is kept, not written again");
        assertFalse(second.stdout().contains("class-data archive for faster starts written"));

        // Another library set is another installation: a new archive, the old one gone. Here a library's date
        // moves by a second within its minute, as when a jar of the same size is put in place of another.
        Path lib = Files.list(dist.home().resolve("lib")).filter(f -> f.toString().endsWith(".jar")).findFirst()
                .orElseThrow();
        Instant minute = Files.getLastModifiedTime(lib).toInstant().truncatedTo(ChronoUnit.MINUTES);
        Files.setLastModifiedTime(lib, FileTime.from(minute.plusSeconds(20)));
        Distribution.Instance moved = dist.start().awaitHealthy();
        stopCleanly(moved);
        archives = archives();
        Files.setLastModifiedTime(lib, FileTime.from(minute.plusSeconds(21)));
        Distribution.Instance third = dist.start().awaitHealthy();
        stopCleanly(third);
        List<Path> after = archives();
        assertEquals(1, after.size(), "still one archive: " + after + third.output());
        assertNotEquals(archives.get(0), after.get(0), "a new archive for the changed installation");
    }

    @Test
    void offLeavesNoArchive() throws IOException {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_CDS", "off");
        Distribution.Instance sb = dist.start().awaitHealthy();
        stopCleanly(sb);
        assertEquals(List.of(), archives());
        assertFalse(sb.stdout().contains("class-data archive"), sb.output());
        assertFalse(sb.output().contains("unknown configuration"), "SWITCHBOARD_CDS is known" + sb.output());
    }

    private static void stopCleanly(Distribution.Instance sb) {
        sb.terminate();
        assertEquals(0, sb.awaitExit(Duration.ofSeconds(60)), sb.output());
    }

    private static boolean loadedFromArchive(Distribution.Instance sb, String className) {
        return sb.stdout().lines().anyMatch(l -> l.contains(" " + className + " source: shared objects file"));
    }

    private List<Path> archives() throws IOException {
        Path cache = dist.dataDir().resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().startsWith("classes-")).sorted().toList();
        }
    }
}
