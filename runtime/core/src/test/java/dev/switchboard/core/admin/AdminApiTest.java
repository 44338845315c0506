package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.FakeAdapter;
import dev.switchboard.core.testkit.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh gateway per test, with the openai-like and qwen-like types installed (bundles 5 and 6), and
 * assertions on the admin API's error shape.
 */
abstract class AdminApiTest {

    /** A vendor key long enough to be masked as {@code sk-ab...wxyz}. */
    static final String VENDOR_KEY = "sk-abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dataDir;

    AdapterRegistry adapters;
    AdminApiServer api;

    @BeforeEach
    void startGateway() {
        adapters = new AdapterRegistry();
        adapters.add(FakeAdapter.openai().installed(100, 0, 5, "dev.switchboard.plugin.openai", "1.2.3"));
        adapters.add(FakeAdapter.qwen().installed(101, 0, 6, "dev.switchboard.plugin.qwen", "0.9.0"));
        api = AdminApiServer.start(dataDir, adapters);
    }

    @AfterEach
    void stopGateway() {
        api.close();
    }

    static JsonNode json(String singleQuoted) {
        return AdminApiServer.json(singleQuoted);
    }

    /** Creates a channel and returns its answer, failing the test unless it was created. */
    JsonNode createChannel(String singleQuoted) {
        Reply r = api.post("/api/channels", json(singleQuoted));
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }

    /** Asserts an error answer: its status, code and the shape {"error":{"message","type","code"}}. */
    static JsonNode assertError(Reply r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        JsonNode error = r.error();
        assertEquals(code, error.path("code").asText(), r.toString());
        assertEquals(true, error.path("message").isTextual() && !error.path("message").asText().isBlank(),
                "the error has a message: " + r);
        assertEquals(true, error.path("type").isTextual(), "the error has a type: " + r);
        assertEquals("application/json", r.header("Content-Type").orElse("").replaceAll(";.*", ""));
        return error;
    }
}
