package dev.switchboard.dist.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.PluginJars;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three plugins claim the channel type {@code faulty} (variants of test-plugins/faulty under other symbolic names):
 * the higher service ranking serves it, then the one registered first; the others are listed as shadowed; when the
 * serving one goes, the next takes over at once, and requests show which plugin answered.
 */
@Timeout(120)
class PluginShadowingIT {

    private static final String ADMIN = "sb-admin-e2e-shadowing-51c9";
    private static final String BASE = "dev.switchboard.test.faulty";

    @TempDir
    Path tmp;

    private Distribution dist;
    private Distribution.Instance sb;
    private FakeUpstream upstream;
    private String key;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start().on("/v1/chat/completions", Reply.json("{\"id\":\"c\",\"object\":"
                + "\"chat.completion\",\"created\":1,\"model\":\"ok\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"));
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_PLUGINS_POLL", "250ms");
        sb = dist.start().awaitHealthy();
    }

    @AfterEach
    void stop() {
        dist.close();
        upstream.close();
    }

    @Test
    void theHighestRankingServesTheOthersAreShadowedAndTakeOverInTurn() throws Exception {
        Path built = PluginJars.faulty();
        Path plugins = dist.pluginsDir();
        PluginJars.deploy(PluginJars.variant(built, tmp.resolve("first.jar"), BASE, "1.0.0", null), plugins,
                "first.jar");
        awaitServing(BASE + " 1.0.0");
        long channel = sb.post("/api/channels", ADMIN, Map.of("name", "shadowed", "type", "faulty", "key", "k-123456789",
                "base_url", upstream.baseUrl() + "/v1", "models", List.of("ok"))).json().path("id").asLong();
        assertTrue(channel > 0);
        key = sb.post("/api/tokens", ADMIN, Map.of("name", "shadowing")).json().path("key").asText();
        assertEquals(BASE + " 1.0.0", answeredBy());

        // A second plugin with the same type and no ranking: registered later, so shadowed.
        PluginJars.deploy(PluginJars.variant(built, tmp.resolve("twin.jar"), BASE + ".twin", "2.0.0", null), plugins,
                "twin.jar");
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> plugin(BASE + ".twin").path("shadowed")
                .size() == 1).isPresent(), "twin never listed as shadowed: " + sb.get("/api/plugins", ADMIN));
        JsonNode twin = plugin(BASE + ".twin");
        assertEquals("active", twin.path("state").asText(), twin.toString());
        assertEquals(0, twin.path("channel_types").size(), twin.toString());
        assertEquals("faulty", twin.at("/shadowed/0/channel_type").asText(), twin.toString());
        assertEquals(BASE, twin.at("/shadowed/0/by/symbolic_name").asText(), twin.toString());
        assertEquals("[\"faulty\"]", plugin(BASE).path("channel_types").toString());
        JsonNode type = faultyType();
        assertEquals(BASE, type.at("/plugin/symbolic_name").asText(), type.toString());
        assertEquals(BASE + ".twin", type.at("/shadowed/0/symbolic_name").asText(), type.toString());
        assertEquals(BASE + " 1.0.0", answeredBy());

        // A third with service.ranking 10 wins over both, whenever it comes.
        PluginJars.deploy(PluginJars.variant(built, tmp.resolve("ranked.jar"), BASE + ".ranked", "3.0.0", 10),
                plugins, "ranked.jar");
        awaitServing(BASE + ".ranked 3.0.0");
        type = faultyType();
        assertEquals(List.of(BASE, BASE + ".twin"), List.of(type.at("/shadowed/0/symbolic_name").asText(),
                type.at("/shadowed/1/symbolic_name").asText()), "shadowed, best first: " + type);
        assertEquals(BASE + ".ranked", plugin(BASE).at("/shadowed/0/by/symbolic_name").asText());
        assertEquals(BASE + ".ranked 3.0.0", answeredBy());

        // The winner goes: the first takes over; then the first goes: the twin.
        Files.delete(plugins.resolve("ranked.jar"));
        awaitServing(BASE + " 1.0.0");
        assertEquals(BASE + " 1.0.0", answeredBy());
        Files.delete(plugins.resolve("first.jar"));
        awaitServing(BASE + ".twin 2.0.0");
        assertEquals(BASE + ".twin 2.0.0", answeredBy());
        assertEquals(0, plugin(BASE + ".twin").path("shadowed").size());
        assertEquals(0, faultyType().path("shadowed").size());
    }

    private void awaitServing(String plugin) {
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> {
            JsonNode t = faultyType();
            return plugin.equals(t.at("/plugin/symbolic_name").asText() + " " + t.at("/plugin/version").asText());
        }).isPresent(), plugin + " never served faulty: " + sb.get("/api/channel-types", ADMIN) + sb.output());
    }

    private JsonNode faultyType() {
        for (JsonNode t : sb.get("/api/channel-types", ADMIN).json().path("data")) {
            if (t.path("id").asText().equals("faulty")) {
                return t;
            }
        }
        return MissingNode.getInstance();
    }

    private JsonNode plugin(String symbolicName) {
        for (JsonNode p : sb.get("/api/plugins", ADMIN).json().path("data")) {
            if (p.path("symbolic_name").asText().equals(symbolicName)) {
                return p;
            }
        }
        return MissingNode.getInstance();
    }

    /** @return the plugin that answered a chat request, as the faulty plugin marks its answers */
    private String answeredBy() {
        Distribution.Answer a = sb.post("/v1/chat/completions", key, Map.of("model", "ok", "messages",
                List.of(Map.of("role", "user", "content", "Hi"))));
        assertEquals(200, a.status(), a.toString());
        return a.json().path("system_fingerprint").asText();
    }
}
