package dev.switchboard.dist;

import static dev.switchboard.dist.Distribution.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar copied into plugins/ is live within seconds; deleted, its type goes and its channels stay. */
@Timeout(90)
class HotDeployIT {

    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final String TOKEN = "e2e-hot-deploy-admin-token";

    @TempDir
    Path tmp;

    private Distribution dist;

    @BeforeEach
    void copy() {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        dist.close();
    }

    @Test
    void dropInAndRemoveThePluginWhileServing() throws Exception {
        Path shipped = dist.pluginJar("switchboard-plugin-openai");
        // The other shipped plugins are set aside: this test watches the openai type alone come and go.
        try (var others = Files.list(dist.pluginsDir())) {
            for (Path jar : others.filter(f -> f.toString().endsWith(".jar") && !f.equals(shipped)).toList()) {
                Files.delete(jar);
            }
        }
        Path aside = Files.move(shipped, tmp.resolve(shipped.getFileName()));
        try (var left = Files.list(dist.pluginsDir())) {
            assertEquals(List.of(), left.filter(f -> f.toString().endsWith(".jar")).toList(), "plugins/ is empty");
        }
        Distribution.Instance sb = dist.start().awaitHealthy();

        Distribution.Answer types = sb.get("/api/channel-types", TOKEN);
        assertEquals(200, types.status(), types.toString());
        assertEquals(Distribution.JSON.readTree("{\"data\":[],\"total\":0}"), types.json());

        Map<String, Object> config = obj("organization", "org-e2e", "project", "proj-e2e");
        Distribution.Answer created = sb.post("/api/channels", TOKEN, obj("name", "prepared before the plugin",
                "type", "openai", "key", "sk-e2e-0123456789abcdef", "base_url", "http://127.0.0.1:9/v1",
                "models", List.of("gpt-4o-mini"), "config", config));
        assertEquals(201, created.status(), created.toString());
        assertFalse(created.json().path("type_installed").asBoolean(true), created.toString());
        long id = created.json().path("id").asLong();
        JsonNode configured = Distribution.JSON.valueToTree(config);

        // Drop the jar in, as an operator would with cp.
        Files.copy(aside, shipped);
        Optional<Duration> appeared = Distribution.poll(Duration.ofSeconds(15), () -> {
            JsonNode t = sb.get("/api/channel-types", TOKEN).json();
            return t.path("total").asInt() == 1 && "openai".equals(t.path("data").path(0).path("id").asText())
                    && sb.get("/api/channels/" + id, TOKEN).json().path("type_installed").asBoolean(false);
        });
        System.out.println("[e2e] hot deploy: openai listed and channel installed after "
                + appeared.map(d -> d.toMillis() + " ms").orElse("never (15 s)"));
        assertTrue(appeared.isPresent(), "the type never appeared" + sb.output());
        assertTrue(appeared.get().compareTo(WITHIN) <= 0, "took " + appeared.get().toMillis() + " ms");
        JsonNode type = sb.get("/api/channel-types", TOKEN).json().path("data").path(0);
        assertEquals("https://api.openai.com/v1", type.path("default_base_url").asText(), type.toString());
        assertEquals("dev.switchboard.plugin.openai", type.path("plugin").path("symbolic_name").asText(),
                type.toString());
        JsonNode installed = sb.get("/api/channels/" + id, TOKEN).json();
        assertEquals(configured, installed.path("config"), installed.toString());

        // Remove it again.
        Files.delete(shipped);
        Optional<Duration> vanished = Distribution.poll(Duration.ofSeconds(15),
                () -> sb.get("/api/channel-types", TOKEN).json().path("total").asInt(-1) == 0);
        System.out.println("[e2e] hot deploy: openai gone after "
                + vanished.map(d -> d.toMillis() + " ms").orElse("never (15 s)"));
        assertTrue(vanished.isPresent(), "the type never went away" + sb.output());
        assertTrue(vanished.get().compareTo(WITHIN) <= 0, "took " + vanished.get().toMillis() + " ms");
        assertEquals(Distribution.JSON.readTree("{\"data\":[],\"total\":0}"),
                sb.get("/api/channel-types", TOKEN).json());

        Distribution.Answer kept = sb.get("/api/channels/" + id, TOKEN);
        assertEquals(200, kept.status(), kept.toString());
        assertFalse(kept.json().path("type_installed").asBoolean(true), kept.toString());
        assertEquals(configured, kept.json().path("config"), kept.toString());
        assertEquals("prepared before the plugin", kept.json().path("name").asText());
        assertEquals("http://127.0.0.1:9/v1", kept.json().path("base_url").asText());
        assertEquals(1, sb.get("/api/channels", TOKEN).json().path("total").asInt(), "the channel is still listed");

        assertTrue(sb.process().isAlive(), "the same process served throughout");
        assertEquals(200, sb.get("/health", null).status());
    }
}
