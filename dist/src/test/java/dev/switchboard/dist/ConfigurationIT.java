package dev.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A bad setting stops start-up with status 2 and names its key; an unknown key in the file only warns. */
@Timeout(90)
class ConfigurationIT {

    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Distribution dist;

    @BeforeEach
    void copy() {
        dist = Distribution.copyTo(tmp.resolve("switchboard"));
    }

    @AfterEach
    void stop() {
        dist.close();
    }

    @Test
    void badPortInTheEnvironmentExitsTwoNamingPort() {
        Distribution.Instance sb = dist.start(Map.of("SWITCHBOARD_PORT", "abc"));
        assertEquals(2, sb.awaitExit(EXIT_DEADLINE), sb.output());
        assertTrue(sb.stderr().contains("configuration key 'port'"), "stderr names the key" + sb.output());
        assertTrue(sb.stderr().contains("abc"), "stderr shows the bad value" + sb.output());
    }

    @Test
    void badValueInTheFileExitsTwoNamingTheKey() {
        dist.configure("timeout.connect = 10");
        Distribution.Instance sb = dist.start();
        assertEquals(2, sb.awaitExit(EXIT_DEADLINE), sb.output());
        assertTrue(sb.stderr().contains("configuration key 'timeout.connect'"), "stderr names the key" + sb.output());
    }

    @Test
    void unknownKeyInTheFileWarnsAndStarts() {
        dist.configure("timeout.conect = 10s");
        Distribution.Instance sb = dist.start().awaitHealthy();
        assertTrue(Pattern.compile("WARN.*timeout\\.conect").matcher(sb.stdout() + sb.stderr()).find(),
                "a warning names the unknown key" + sb.output());
        assertEquals(200, sb.get("/health", null).status());
    }
}
