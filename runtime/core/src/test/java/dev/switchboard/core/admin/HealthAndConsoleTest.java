package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.Reply;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health without auth, and / while no console plugin is installed. */
class HealthAndConsoleTest {

    @TempDir
    Path dataDir;

    @Test
    void healthIs503WhileStartingAnd200OkOnceServing() {
        try (AdminApiServer api = AdminApiServer.startNotYetServing(dataDir, new AdapterRegistry())) {
            Reply starting = api.send(api.anonymous("/health").GET());
            assertEquals(503, starting.status(), starting.toString());
            assertEquals("starting", starting.json().path("status").asText());

            api.health().serving();
            Reply ready = api.send(api.anonymous("/health").GET());
            assertEquals(200, ready.status(), ready.toString());
            assertEquals(AdminApiServer.json("{'status':'ok'}"), ready.json());

            api.health().stopping();
            assertEquals(503, api.send(api.anonymous("/health").GET()).status());
        }
    }

    @Test
    void healthAnswersGetOnly() {
        try (AdminApiServer api = AdminApiServer.start(dataDir, new AdapterRegistry())) {
            Reply r = api.send(api.anonymous("/health").POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("Allow").orElse(""));
        }
    }

    @Test
    void withoutTheConsolePluginTheRootIs404SayingSo() {
        try (AdminApiServer api = AdminApiServer.start(dataDir, new AdapterRegistry())) {
            Reply r = api.send(api.anonymous("/").GET());
            assertEquals(404, r.status());
            assertEquals("console_not_installed", r.error().path("code").asText());
            JsonAssert.contains(r.error().path("message").asText(), "/api/");
        }
    }
}
