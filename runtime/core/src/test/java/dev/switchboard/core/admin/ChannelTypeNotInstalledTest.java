package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.core.testkit.FakeAdapter;
import dev.switchboard.core.testkit.Reply;
import org.junit.jupiter.api.Test;

/** A channel may name a type whose plugin is not installed; its config is checked once it is. */
class ChannelTypeNotInstalledTest extends AdminApiTest {

    @Test
    void aChannelOfAMissingTypeIsStoredWithTypeInstalledFalse() {
        JsonNode c = createChannel("{'name':'later','type':'qianfan','key':'" + VENDOR_KEY + "',"
                + "'config':{'api_version':'v9','anything':{'goes':[1,2]}}}");
        assertEquals(false, c.path("type_installed").asBoolean());
        assertEquals(json("{'api_version':'v9','anything':{'goes':[1,2]}}"), c.path("config"));
        Reply r = api.get("/api/channels/" + c.path("id").asLong());
        assertEquals(false, r.json().path("type_installed").asBoolean());
        assertEquals(c.path("config"), r.json().path("config"));
    }

    @Test
    void answersSayTheTypeIsInstalledOnceItIsAndNotAfterItGoes() {
        long id = createChannel("{'name':'later','type':'qianfan','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        adapters.add(qianfan().installed(200, 0, 9, "dev.switchboard.plugin.qianfan", "1.0.0"));
        assertEquals(true, api.get("/api/channels/" + id).json().path("type_installed").asBoolean());
        adapters.remove(200);
        JsonNode after = api.get("/api/channels/" + id).json();
        assertEquals(false, after.path("type_installed").asBoolean());
        assertEquals("later", after.path("name").asText(), "the channel is kept when its plugin goes");
    }

    @Test
    void itsConfigIsValidatedOnceTheTypeIsInstalled() {
        long id = createChannel("{'name':'later','type':'qianfan','key':'" + VENDOR_KEY + "',"
                + "'config':{'api_version':'v9'}}").path("id").asLong();
        adapters.add(qianfan().installed(200, 0, 9, "dev.switchboard.plugin.qianfan", "1.0.0"));

        JsonNode error = assertError(api.put("/api/channels/" + id, json("{'config':{'api_version':'v9'}}")), 400,
                "invalid_value");
        assertEquals("config.api_version", error.path("param").asText());
        JsonAssert.contains(error.path("message").asText(), "config.api_version");

        Reply fixed = api.put("/api/channels/" + id, json("{'config':{'api_version':'v2'}}"));
        assertEquals(200, fixed.status(), fixed.toString());
        assertEquals(json("{'api_version':'v2'}"), fixed.json().path("config"));
    }

    @Test
    void aMalformedTypeIdIsRefusedEvenThoughTypesNeedNotBeInstalled() {
        for (String type : new String[] {"Open AI", "OpenAI", "-openai", "open.ai", ""}) {
            Reply r = api.post("/api/channels", json("{'name':'x','type':'" + type + "','key':'" + VENDOR_KEY + "'}"));
            assertEquals(400, r.status(), type + ": " + r);
            assertEquals("type", r.error().path("param").asText(), r.toString());
        }
        assertEquals(0, api.get("/api/channels").json().path("total").asInt());
    }

    private static FakeAdapter qianfan() {
        return new FakeAdapter(ChannelType.builder("qianfan").defaultBaseUrl("https://aip.baidubce.com")
                .configFields(ConfigField.builder("api_version", ConfigField.Kind.CHOICE).choices("v1", "v2").build())
                .build());
    }
}
