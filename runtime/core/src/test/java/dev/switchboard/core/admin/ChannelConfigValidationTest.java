package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.core.testkit.FakeAdapter;
import dev.switchboard.core.testkit.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** For an installed type, config is checked against the fields it declares and its own rules. */
class ChannelConfigValidationTest extends AdminApiTest {

    @Test
    void aValidChoiceIsAccepted() {
        JsonNode c = createChannel("{'name':'q','type':'qwen','key':'" + VENDOR_KEY + "','config':{'mode':'native'}}");
        assertEquals(json("{'mode':'native'}"), c.path("config"));
    }

    @Test
    void aValueOutsideTheChoicesIs400NamingTheField() {
        Reply r = api.post("/api/channels", json("{'name':'q','type':'qwen','key':'" + VENDOR_KEY + "',"
                + "'config':{'mode':'turbo'}}"));
        JsonNode error = assertError(r, 400, "invalid_value");
        assertEquals("config.mode", error.path("param").asText());
        JsonAssert.contains(error.path("message").asText(), "config.mode");
        JsonAssert.contains(error.path("message").asText(), "compatible, native");
        assertEquals(0, api.get("/api/channels").json().path("total").asInt(), "nothing stored");
    }

    @Test
    void anUnknownConfigKeyIs400NamingIt() {
        Reply r = api.post("/api/channels", json("{'name':'o','type':'openai','key':'" + VENDOR_KEY + "',"
                + "'config':{'organisation':'org-1'}}"));
        JsonNode error = assertError(r, 400, "invalid_value");
        assertEquals("config.organisation", error.path("param").asText());
        JsonAssert.contains(error.path("message").asText(), "organization");
    }

    @Test
    void aStringOptionMustBeAString() {
        Reply r = api.post("/api/channels", json("{'name':'o','type':'openai','key':'" + VENDOR_KEY + "',"
                + "'config':{'organization':42}}"));
        assertEquals("config.organization", assertError(r, 400, "invalid_value").path("param").asText());
    }

    @Test
    void configMustBeAnObject() {
        Reply r = api.post("/api/channels", json("{'name':'o','type':'openai','key':'" + VENDOR_KEY + "',"
                + "'config':'mode=native'}"));
        assertEquals("config", assertError(r, 400, "invalid_value").path("param").asText());
    }

    @Test
    void anUpdateIsCheckedToo() {
        long id = createChannel("{'name':'q','type':'qwen','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        Reply r = api.put("/api/channels/" + id, json("{'config':{'mode':'turbo'}}"));
        assertEquals("config.mode", assertError(r, 400, "invalid_value").path("param").asText());
        assertEquals(json("{}"), api.get("/api/channels/" + id).json().path("config"), "the channel is unchanged");
    }

    @Test
    void aRequiredOptionMustBeSetAndTheAdaptersOwnRulesApply() {
        FakeAdapter strict = new FakeAdapter(ChannelType.builder("strict").defaultBaseUrl("https://s.example")
                .configFields(ConfigField.builder("region", ConfigField.Kind.STRING).required(true).build())
                .build()) {
            @Override
            public List<String> validateConfig(JsonNode config) {
                return config.path("region").asText().equals("mars") ? List.of("config.region: no such region")
                        : List.of();
            }
        };
        adapters.add(strict.installed(300, 0, 9, "strict", "1.0.0"));
        Reply missing = api.post("/api/channels", json("{'name':'s','type':'strict','key':'" + VENDOR_KEY + "'}"));
        assertEquals("config.region", assertError(missing, 400, "missing_field").path("param").asText());
        Reply rule = api.post("/api/channels", json("{'name':'s','type':'strict','key':'" + VENDOR_KEY + "',"
                + "'config':{'region':'mars'}}"));
        JsonAssert.contains(assertError(rule, 400, "invalid_value").path("message").asText(), "no such region");
        createChannel("{'name':'s','type':'strict','key':'" + VENDOR_KEY + "','config':{'region':'eu'}}");
    }
}
