package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.Reply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a console does: GET a channel, change one field, PUT the whole answer back. Nothing the answer shows
 * differently from what is stored (a masked proxy, a status only the gateway sets) may be lost or refused.
 */
class ChannelRoundTripTest extends AdminApiTest {

    private static final String PROXY = "http://user:s3cret-pass@proxy.example:3128";

    @Test
    void anUneditedAnswerPutBackChangesNothing() {
        JsonNode c = createChannel("{'name':'main','type':'qwen','key':'" + VENDOR_KEY + "','models':['qwen-max'],"
                + "'config':{'mode':'native'},'base_url':'https://dashscope.example'}");
        String url = "/api/channels/" + c.path("id").asLong();
        Reply r = api.put(url, api.get(url).json());
        assertEquals(200, r.status(), r.toString());
        assertEquals(c, r.json());
    }

    @Test
    void proxyCredentialsAreNeverAnsweredAndSurviveARoundTrip() {
        JsonNode c = createChannel("{'name':'proxied','type':'openai','key':'" + VENDOR_KEY + "','proxy':'" + PROXY
                + "'}");
        assertEquals("http://***@proxy.example:3128", c.path("proxy").asText());
        assertFalse(c.toString().contains("s3cret-pass"));
        long id = c.path("id").asLong();

        ObjectNode edited = api.get("/api/channels/" + id).json().deepCopy();
        edited.put("name", "proxied, renamed");
        Reply r = api.put("/api/channels/" + id, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals("proxied, renamed", r.json().path("name").asText());
        assertEquals(PROXY, api.channels().get(id).orElseThrow().proxy(), "the proxy credentials were lost");
    }

    @Test
    void aNewProxyInAnUpdateIsTaken() {
        long id = createChannel("{'name':'p','type':'openai','key':'" + VENDOR_KEY + "','proxy':'" + PROXY + "'}")
                .path("id").asLong();
        Reply r = api.put("/api/channels/" + id, json("{'proxy':'http://other:pw@proxy2.example:8080'}"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("http://other:pw@proxy2.example:8080", api.channels().get(id).orElseThrow().proxy());
    }

    @Test
    void aChannelTheGatewayDisabledCanBeEditedFromItsAnswer() {
        api.close();
        long id = seedAutoDisabledChannel();
        api = AdminApiServer.start(dataDir, adapters);

        JsonNode before = api.get("/api/channels/" + id).json();
        assertEquals("auto_disabled", before.path("status").asText());
        ObjectNode edited = before.deepCopy();
        edited.put("weight", 5);
        Reply r = api.put("/api/channels/" + id, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals(5, r.json().path("weight").asInt());
        assertEquals("auto_disabled", r.json().path("status").asText());
        assertEquals("the vendor rejected the key", r.json().path("status_reason").asText());
    }

    @Test
    void theGatewaysStatusCannotBeSetByAClient() {
        long id = createChannel("{'name':'x','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        Reply r = api.put("/api/channels/" + id, json("{'status':'auto_disabled'}"));
        assertEquals("status", assertError(r, 400, "invalid_value").path("param").asText());
    }

    private long seedAutoDisabledChannel() {
        SecretBox secrets = SecretBox.open(Optional.empty(), dataDir.resolve("secret.key"));
        try (MapDbStore store = new MapDbStore(dataDir.resolve("switchboard.db"))) {
            ChannelRecord c = new ChannelRecord(0, "broken", "openai", secrets.seal(VENDOR_KEY), "sk-ab...wxyz", null,
                    List.of("gpt-4o"), Map.of(), List.of("default"), 0, 1, ChannelRecord.AUTO_DISABLED,
                    "the vendor rejected the key", Json.object(), null, 0, null, null, null, 0, 1_700_000_000L);
            return store.saveChannel(c).toCompletableFuture().join().id();
        }
    }
}
