package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.testkit.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PUT, enable, disable and DELETE of one channel. */
class ChannelUpdateTest extends AdminApiTest {

    JsonNode created;
    String url;

    @BeforeEach
    void oneChannel() {
        created = createChannel("{'name':'main','type':'qwen','key':'" + VENDOR_KEY + "','models':['qwen-max'],"
                + "'groups':['vip'],'priority':5,'weight':2,'config':{'mode':'native'},"
                + "'base_url':'https://dashscope.example'}");
        url = "/api/channels/" + created.path("id").asLong();
    }

    @Test
    void aPartialUpdateChangesOnlyWhatItNames() {
        Reply r = api.put(url, json("{'priority':9,'models':['qwen-max','qwen-plus']}"));
        assertEquals(200, r.status(), r.toString());
        ObjectNode expected = created.deepCopy();
        expected.put("priority", 9);
        expected.set("models", json("['qwen-max','qwen-plus']"));
        assertEquals(expected, r.json());
        assertEquals(expected, api.get(url).json());
    }

    @Test
    void aGetAnswerEditedAndSentBackIsAccepted() {
        ObjectNode edited = api.get(url).json().deepCopy();
        edited.put("name", "renamed");
        Reply r = api.put(url, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals("renamed", r.json().path("name").asText());
        assertEquals(created.path("key_masked"), r.json().path("key_masked"));
    }

    @Test
    void aNewKeyChangesTheMaskAndTheStoredKey() {
        String newKey = "sk-zyxwvutsrqponmlkjihgfedcba";
        Reply r = api.put(url, json("{'key':'" + newKey + "'}"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("sk-zy...dcba", r.json().path("key_masked").asText());
        assertEquals(newKey, api.channels().key(api.channels().get(created.path("id").asLong()).orElseThrow()));
        assertEquals("main", r.json().path("name").asText());
    }

    @Test
    void clearingTheBaseUrlWithNullReturnsToTheDefault() {
        Reply r = api.put(url, json("{'base_url':null}"));
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().path("base_url").isNull());
    }

    @Test
    void badInputLeavesTheChannelAsItWas() {
        assertError(api.put(url, json("{'priority':'top'}")), 400, "invalid_value");
        assertError(api.put(url, "{not json"), 400, "invalid_json");
        assertEquals(created, api.get(url).json());
    }

    @Test
    void disableThenEnable() {
        Reply off = api.post(url + "/disable", "");
        assertEquals(200, off.status(), off.toString());
        assertEquals("disabled", off.json().path("status").asText());
        assertTrue(off.json().path("status_reason").isTextual());
        assertEquals("disabled", api.get(url).json().path("status").asText());

        Reply on = api.post(url + "/enable", "");
        assertEquals(200, on.status(), on.toString());
        assertEquals("enabled", on.json().path("status").asText());
        assertTrue(on.json().path("status_reason").isNull());
        assertEquals("main", on.json().path("name").asText());
    }

    @Test
    void deleteThen404() {
        Reply deleted = api.delete(url);
        assertEquals(204, deleted.status(), deleted.toString());
        assertEquals("", deleted.text());
        assertError(api.get(url), 404, "not_found");
        assertError(api.delete(url), 404, "not_found");
        assertError(api.put(url, json("{'name':'x'}")), 404, "not_found");
        assertError(api.post(url + "/enable", ""), 404, "not_found");
        assertEquals(0, api.get("/api/channels").json().path("total").asInt());
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        assertError(api.get("/api/channels/999"), 404, "not_found");
        assertError(api.get("/api/channels/abc"), 404, "not_found");
        assertError(api.put("/api/channels/999", json("{'name':'x'}")), 404, "not_found");
        assertError(api.post("/api/channels/999/disable", ""), 404, "not_found");
    }

    @Test
    void aSecondChannelGetsAnotherId() {
        JsonNode other = createChannel("{'name':'other','type':'openai','key':'" + VENDOR_KEY + "'}");
        assertNotEquals(created.path("id").asLong(), other.path("id").asLong());
    }
}
