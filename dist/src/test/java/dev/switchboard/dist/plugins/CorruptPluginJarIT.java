package dev.switchboard.dist.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar copied into plugins/ with plain cp is half-written for a while: it is ignored, with a reason in the log,
 * and nothing else is disturbed; once complete it is installed.
 */
@Timeout(120)
class CorruptPluginJarIT {

    private static final String ADMIN = "sb-admin-e2e-corrupt-jar-8e21";

    @TempDir
    Path tmp;

    private Distribution dist;

    @AfterEach
    void stop() {
        if (dist != null) {
            dist.close();
        }
    }

    private Distribution start() {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_PLUGINS_POLL", "250ms");
        return dist;
    }

    @Test
    void aHalfCopiedJarIsIgnoredWithALoggedReasonUntilItIsComplete() throws Exception {
        Distribution.Instance sb = start().start().awaitHealthy();
        String typesBefore = sb.get("/api/channel-types", ADMIN).body();
        assertTrue(typesBefore.contains("\"openai\""), typesBefore);
        byte[] jar = Files.readAllBytes(PluginJars.faulty());
        Path target = dist.pluginsDir().resolve("faulty.jar");

        Files.write(target, Arrays.copyOf(jar, jar.length / 2));
        // Many polls of the plugins folder (every 250 ms) see the same half jar.
        Distribution.poll(Duration.ofSeconds(3), () -> false);
        String log = sb.output();
        assertTrue(log.contains("plugin faulty.jar is not a readable bundle ("), "the half jar is logged with a reason: "
                + log);
        assertEquals(200, sb.get("/health", null).status(), sb.output());
        assertEquals(typesBefore, sb.get("/api/channel-types", ADMIN).body(), "nothing else changed");
        Distribution.Answer plugins = sb.get("/api/plugins", ADMIN);
        assertEquals(200, plugins.status(), plugins.toString());
        assertFalse(plugins.body().contains("dev.switchboard.test.faulty"), plugins.toString());
        System.out.println("[e2e] half jar log lines:\n" + log.lines().filter(l -> l.contains("faulty.jar"))
                .reduce("", (a, b) -> a + b + "\n"));

        // The copy completes.
        Files.write(target, jar);
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> sb.get("/api/channel-types", ADMIN).body()
                .contains("\"faulty\"")).isPresent(), "the completed jar was never installed" + sb.output());
        assertTrue(sb.get("/api/channel-types", ADMIN).body().contains("\"openai\""));
        assertTrue(sb.process().isAlive());
    }

    @Test
    void aCorruptJarPresentAtStartDoesNotKeepTheGatewayUnhealthy() throws Exception {
        start();
        byte[] jar = Files.readAllBytes(PluginJars.faulty());
        Files.write(dist.pluginsDir().resolve("faulty.jar"), Arrays.copyOf(jar, jar.length / 3));
        Distribution.Instance sb = dist.start().awaitHealthy();
        assertTrue(Distribution.poll(Duration.ofSeconds(10), () -> sb.output().contains("faulty.jar is not a readable "
                + "bundle")).isPresent(), sb.output());
        assertTrue(sb.get("/api/channel-types", ADMIN).body().contains("\"openai\""), "the shipped plugins serve");
    }
}
