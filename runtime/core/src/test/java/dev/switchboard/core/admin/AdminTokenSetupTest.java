package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.testkit.AdminApiServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the admin token comes from: generated once at first start, or the admin_token setting. */
class AdminTokenSetupTest {

    @TempDir
    Path dataDir;

    private final AdapterRegistry adapters = new AdapterRegistry();

    @Test
    void theFirstStartGeneratesATokenThatLaterStartsKeep() {
        String generated;
        try (AdminApiServer api = AdminApiServer.start(dataDir, adapters, Optional.empty())) {
            generated = api.generatedAdminToken().orElseThrow(() -> new AssertionError("no token generated"));
            assertTrue(generated.matches("sb-admin-[0-9A-Za-z]{48}"), generated);
            assertEquals(200, status(api, generated));
            assertEquals(401, status(api, AdminApiServer.ADMIN_TOKEN));
        }
        try (AdminApiServer api = AdminApiServer.start(dataDir, adapters, Optional.empty())) {
            assertEquals(Optional.empty(), api.generatedAdminToken(), "the token is shown once only");
            assertEquals(200, status(api, generated));
        }
    }

    @Test
    void aConfiguredTokenReplacesTheStoredOne() {
        String generated;
        try (AdminApiServer api = AdminApiServer.start(dataDir, adapters, Optional.empty())) {
            generated = api.generatedAdminToken().orElseThrow();
        }
        try (AdminApiServer api = AdminApiServer.start(dataDir, adapters, Optional.of("chosen-by-operator"))) {
            assertEquals(Optional.empty(), api.generatedAdminToken());
            assertEquals(200, status(api, "chosen-by-operator"));
            assertEquals(401, status(api, generated));
        }
        try (AdminApiServer api = AdminApiServer.start(dataDir, adapters, Optional.empty())) {
            assertEquals(Optional.empty(), api.generatedAdminToken());
            assertEquals(200, status(api, "chosen-by-operator"), "the configured token was kept");
        }
    }

    private static int status(AdminApiServer api, String token) {
        return api.send(api.anonymous("/api/channels").header("Authorization", "Bearer " + token).GET()).status();
    }
}
