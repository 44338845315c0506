package dev.switchboard.dist.qianfan;

import static dev.switchboard.dist.qianfan.QianfanGateway.ADMIN;
import static dev.switchboard.dist.qianfan.QianfanGateway.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The distribution ships the qianfan plugin in plugins/, and the console learns the type from it. */
@Timeout(90)
class QianfanShippedIT {

    @TempDir
    Path tmp;

    private QianfanGateway gw;

    @BeforeEach
    void start() {
        gw = new QianfanGateway(tmp);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void theJarIsInPluginsAndTheTypeIsListedWithItsForm() throws Exception {
        Path jar = gw.dist.pluginJar("switchboard-plugin-qianfan");
        assertTrue(Files.size(jar) > 0);
        assertFalse(jar.getFileName().toString().contains("tests"), "the plugin, not its test jar: " + jar);

        JsonNode types = gw.sb.get("/api/channel-types", ADMIN).json();
        JsonNode qianfan = null;
        for (JsonNode t : types.path("data")) {
            if (t.path("id").asText().equals("qianfan")) {
                qianfan = t;
            }
        }
        assertTrue(qianfan != null, "qianfan is listed: " + types);
        assertEquals("https://aip.baidubce.com", qianfan.path("default_base_url").asText());
        assertTrue(qianfan.path("key_hint").asText().contains("API_KEY|SECRET_KEY"), qianfan.toString());
        assertEquals("dev.switchboard.plugin.qianfan", qianfan.path("plugin").path("symbolic_name").asText());
        assertEquals(QianfanGateway.JSON.readTree("[\"chat\",\"embeddings\",\"rerank\"]"), qianfan.path("operations"),
                "no balance: Baidu's API does not report one");
        JsonNode version = qianfan.path("config_fields").path(0);
        assertEquals("api_version", version.path("name").asText());
        assertEquals("choice", version.path("kind").asText());
        assertEquals("v1", version.path("default").asText());
        assertEquals("endpoints", qianfan.path("config_fields").path(1).path("name").asText());
        assertEquals("object", qianfan.path("config_fields").path(1).path("kind").asText());
        assertEquals("appid", qianfan.path("config_fields").path(2).path("name").asText());
    }

    @Test
    void configIsCheckedAndBalanceIsNotAvailable() {
        Distribution.Answer bad = gw.sb.post("/api/channels", ADMIN, map("name", "bad", "type", "qianfan",
                "key", "a|b", "models", List.of("ERNIE-4.0-8K"), "config", map("api_version", "v3")));
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.body().contains("config.api_version"), bad.toString());

        Distribution.Answer endpoints = gw.sb.post("/api/channels", ADMIN, map("name", "bad", "type", "qianfan",
                "key", "a|b", "models", List.of("x"), "config", map("endpoints", map("x", "../oauth"))));
        assertEquals(400, endpoints.status(), endpoints.toString());
        assertTrue(endpoints.body().contains("config.endpoints.x"), endpoints.toString());

        long id = gw.v1Channel("v1", List.of("ERNIE-4.0-8K"));
        Distribution.Answer balance = gw.sb.get("/api/channels/" + id + "/balance", ADMIN);
        assertEquals(409, balance.status(), balance.toString());
        assertEquals("unsupported_operation", balance.json().path("error").path("code").asText());
        assertEquals(0, gw.fake.tokenExchanges(), "nothing was asked of Baidu");
    }
}
