package dev.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A taken port fails start-up with status 1 and says so, instead of hanging. */
@Timeout(90)
class PortInUseIT {

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
    void takenPortExitsOneSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            long t0 = System.nanoTime();
            Distribution.Instance sb = dist.start(Map.of("SWITCHBOARD_PORT", Integer.toString(port)));
            int status = sb.awaitExit(Duration.ofSeconds(25));
            System.out.println("[e2e] port in use -> exit " + status + " after "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            assertEquals(1, status, sb.output());
            String err = sb.stderr().toLowerCase(Locale.ROOT);
            assertTrue(err.contains(Integer.toString(port)), "stderr names the port" + sb.output());
            assertTrue(err.contains("port is taken") || err.contains("port taken") || err.contains("in use")
                    || err.contains("is the port taken"), "stderr says the port is taken" + sb.output());
        }
    }

    @Test
    void firstStartThatFailsDoesNotSwallowTheAdminToken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Distribution.Instance failed = dist.start(Map.of("SWITCHBOARD_PORT",
                    Integer.toString(taken.getLocalPort())));
            assertEquals(1, failed.awaitExit(Duration.ofSeconds(25)), failed.output());
            assertTrue(failed.generatedAdminToken().isEmpty(), "it never served, so it showed no token");
        }
        // The operator frees the port (here: picks another) and starts again on the same folder.
        Distribution.Instance sb = dist.start().awaitHealthy();
        String token = sb.generatedAdminToken().orElseThrow(() -> new AssertionError(
                "no admin token was ever shown, and none is shown now: the operator is locked out" + sb.output()));
        assertEquals(200, sb.get("/api/channels", token).status(), sb.output());
    }
}
