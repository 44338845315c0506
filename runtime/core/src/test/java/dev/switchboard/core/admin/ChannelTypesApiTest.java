package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.testkit.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/channel-types: what each installed adapter describes, and which plugin it came from. */
class ChannelTypesApiTest extends AdminApiTest {

    @Test
    void theInstalledTypesAreListedById() {
        Reply r = api.get("/api/channel-types");
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.json().path("total").asInt());
        List<String> ids = new ArrayList<>();
        r.json().path("data").forEach(t -> ids.add(t.path("id").asText()));
        assertEquals(List.of("openai", "qwen"), ids);
    }

    @Test
    void aTypeAnswersEveryFieldOfTheContract() {
        JsonNode openai = type("openai");
        assertEquals("OpenAI", openai.path("name").asText());
        assertEquals("https://api.openai.com/v1", openai.path("default_base_url").asText());
        assertEquals("sk-...", openai.path("key_hint").asText());
        assertEquals(json("['chat','embeddings','models']"), openai.path("operations"));
        assertEquals(json("['gpt-4o','gpt-4o-mini']"), openai.path("default_models"));
        assertEquals(json("{'symbolic_name':'dev.switchboard.plugin.openai','version':'1.2.3'}"),
                openai.path("plugin"));

        JsonNode field = openai.path("config_fields").path(0);
        assertEquals(1, openai.path("config_fields").size());
        assertEquals("organization", field.path("name").asText());
        assertEquals("Organization", field.path("label").asText());
        assertEquals("string", field.path("kind").asText());
        assertEquals(false, field.path("required").asBoolean());
        assertEquals("The OpenAI organization id.", field.path("description").asText());
    }

    @Test
    void aChoiceFieldListsItsChoicesAndDefault() {
        JsonNode mode = type("qwen").path("config_fields").path(0);
        assertEquals("mode", mode.path("name").asText());
        assertEquals("choice", mode.path("kind").asText());
        assertEquals(json("['compatible','native']"), mode.path("choices"));
        assertEquals("compatible", mode.path("default").asText());
        assertEquals(json("{'symbolic_name':'dev.switchboard.plugin.qwen','version':'0.9.0'}"),
                type("qwen").path("plugin"));
    }

    @Test
    void theListFollowsPluginsComingAndGoing() {
        adapters.remove(101);
        assertEquals(1, api.get("/api/channel-types").json().path("total").asInt());
        adapters.add(dev.switchboard.core.testkit.FakeAdapter.qwen().installed(102, 0, 7, "dev.switchboard.plugin.qwen",
                "1.0.0"));
        assertEquals("1.0.0", type("qwen").path("plugin").path("version").asText());
    }

    private JsonNode type(String id) {
        for (JsonNode t : api.get("/api/channel-types").json().path("data")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no channel type " + id);
    }
}
