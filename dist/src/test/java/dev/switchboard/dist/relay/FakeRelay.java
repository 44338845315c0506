package dev.switchboard.dist.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway and one fake upstream shared by a whole test class, so that starting the distribution (seconds) is
 * paid once per class, each test still meets a fake with no routes and no requests, and the class ends with the
 * vendor-key leak check whatever failed. The test class adds its channels and tokens in its own
 * {@code @BeforeAll}, which JUnit runs after this one's; its own {@code @BeforeEach} runs after the reset.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeRelay relay = new FakeRelay(Map.of("SWITCHBOARD_TIMEOUT_FIRST_BYTE", "1s"));
 * }</pre>
 */
final class FakeRelay implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Map<String, String> env;
    private Path tmp;
    private FakeUpstream fake;
    private RelayGateway gw;

    /** @param env extra {@code SWITCHBOARD_*} variables for the gateway */
    FakeRelay(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        tmp = Files.createTempDirectory("switchboard-relay-");
        fake = FakeUpstream.start();
        try {
            gw = RelayGateway.start(tmp, env);
        } catch (RuntimeException | AssertionError e) {
            fake.close();
            fake = null;
            throw e;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fake.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            RelayGateway.finish(gw, fake);
        } finally {
            gw = null;
            fake = null;
            deleteQuietly(tmp);
            tmp = null;
        }
    }

    /** @return the fake upstream (the test class points its channels at it) */
    FakeUpstream fake() {
        return fake;
    }

    /** @return the started gateway */
    RelayGateway gw() {
        return gw;
    }

    /** Best effort: a file the stopped gateway still holds open must not fail the class. */
    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the OS to clean up
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left for the OS to clean up
        }
    }
}
