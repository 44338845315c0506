package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.testkit.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** POST /api/channels: 201, every field of the contract, the defaults, and the key shown masked only. */
class ChannelCreateTest extends AdminApiTest {

    private static final Set<String> CONTRACT_FIELDS = Set.of("id", "name", "type", "type_installed", "key_masked",
            "base_url", "models", "model_mapping", "groups", "priority", "weight", "status", "status_reason", "config",
            "response_time_ms", "balance", "balance_currency", "balance_updated_at", "used_quota", "created_at",
            "proxy");

    @Test
    void aMinimalChannelIsCreatedWithTheDefaults() {
        long before = Instant.now().getEpochSecond();
        Reply r = api.post("/api/channels", json("{'name':'main','type':'openai','key':'" + VENDOR_KEY + "'}"));
        assertEquals(201, r.status(), r.toString());
        JsonNode c = r.json();
        List<String> missing = CONTRACT_FIELDS.stream().filter(f -> !c.has(f)).sorted().toList();
        assertEquals(List.of(), missing, "fields of the contract missing from " + c);

        assertTrue(c.path("id").isIntegralNumber() && c.path("id").asLong() > 0, c.toString());
        assertEquals("main", c.path("name").asText());
        assertEquals("openai", c.path("type").asText());
        assertEquals(true, c.path("type_installed").asBoolean());
        assertEquals(json("['default']"), c.path("groups"));
        assertEquals(0, c.path("priority").asInt());
        assertTrue(c.path("priority").isInt());
        assertEquals(1, c.path("weight").asInt());
        assertEquals("enabled", c.path("status").asText());
        assertTrue(c.path("status_reason").isNull());
        assertEquals(json("[]"), c.path("models"));
        assertEquals(json("{}"), c.path("model_mapping"));
        assertEquals(json("{}"), c.path("config"));
        assertTrue(c.path("base_url").isNull());
        assertTrue(c.path("proxy").isNull());
        assertTrue(c.path("balance").isNull());
        assertEquals(0, c.path("used_quota").asLong());
        assertTrue(c.path("created_at").isIntegralNumber(), "created_at is unix seconds: " + c);
        long created = c.path("created_at").asLong();
        assertTrue(created >= before && created <= Instant.now().getEpochSecond(), "created_at " + created);
    }

    @Test
    void everyWritableFieldIsKept() {
        JsonNode c = createChannel("{'name':'full','type':'qwen','key':'" + VENDOR_KEY + "',"
                + "'base_url':'https://dashscope-intl.aliyuncs.com/','models':['qwen-max','qwen-plus'],"
                + "'model_mapping':{'qwen-max':'qwen-max-latest'},'groups':['vip','default'],'priority':10,"
                + "'weight':3,'status':'disabled','config':{'mode':'native'},'proxy':'http://proxy.example:3128'}");
        assertEquals("https://dashscope-intl.aliyuncs.com", c.path("base_url").asText(), "trailing slash dropped");
        assertEquals(json("['qwen-max','qwen-plus']"), c.path("models"));
        assertEquals(json("{'qwen-max':'qwen-max-latest'}"), c.path("model_mapping"));
        assertEquals(json("['vip','default']"), c.path("groups"));
        assertEquals(10, c.path("priority").asInt());
        assertEquals(3, c.path("weight").asInt());
        assertEquals("disabled", c.path("status").asText());
        assertEquals(json("{'mode':'native'}"), c.path("config"));
        assertEquals("http://proxy.example:3128", c.path("proxy").asText());

        assertEquals(c, api.get("/api/channels/" + c.path("id").asLong()).json(), "GET answers what POST did");
    }

    @Test
    void theKeyIsAnsweredMaskedOnly() {
        JsonNode c = createChannel("{'name':'main','type':'openai','key':'" + VENDOR_KEY + "'}");
        assertEquals("sk-ab...wxyz", c.path("key_masked").asText());
        assertFalse(c.has("key"));
        long id = c.path("id").asLong();
        for (Reply r : List.of(api.get("/api/channels/" + id), api.get("/api/channels"),
                api.post("/api/channels/" + id + "/disable", ""),
                api.put("/api/channels/" + id, json("{'weight':2}")))) {
            assertEquals(200, r.status(), r.toString());
            assertFalse(r.text().contains(VENDOR_KEY), "the key leaked in " + r);
            assertFalse(r.text().contains("\"key\""), "a key field in " + r);
        }
        assertEquals(VENDOR_KEY, api.channels().key(api.channels().get(id).orElseThrow()),
                "the gateway itself still has the key");
    }

    @Test
    void aShortKeyIsMaskedCompletely() {
        JsonNode c = createChannel("{'name':'short','type':'openai','key':'abc123'}");
        assertEquals("***", c.path("key_masked").asText());
    }

    @Test
    void createdChannelsSurviveARestart() {
        JsonNode c = createChannel("{'name':'kept','type':'openai','key':'" + VENDOR_KEY + "','models':['gpt-4o']}");
        api.close();
        api = dev.switchboard.core.testkit.AdminApiServer.start(dataDir, adapters);
        Reply r = api.get("/api/channels/" + c.path("id").asLong());
        assertEquals(200, r.status(), r.toString());
        assertEquals(c, r.json());
        assertEquals(VENDOR_KEY, api.channels().key(api.channels().get(c.path("id").asLong()).orElseThrow()));
    }
}
