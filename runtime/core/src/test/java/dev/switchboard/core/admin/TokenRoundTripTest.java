package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.testkit.Reply;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * GET a token, change a field, PUT the answer back: the derived statuses (expired, exhausted) an answer shows
 * must not make the edit fail, since fixing them is why an operator edits the token.
 */
class TokenRoundTripTest extends AdminApiTest {

    @Test
    void anUneditedAnswerPutBackChangesNothing() {
        JsonNode t = api.post("/api/tokens", json("{'name':'a','models':['gpt-4o'],'rpm':5}")).json();
        String url = "/api/tokens/" + t.path("id").asLong();
        JsonNode before = api.get(url).json();
        Reply r = api.put(url, before);
        assertEquals(200, r.status(), r.toString());
        assertEquals(before, r.json());
    }

    @Test
    void anExpiredTokenCanBeExtendedFromItsAnswer() {
        long past = Instant.now().getEpochSecond() - 60;
        long id = api.post("/api/tokens", json("{'expires_at':" + past + "}")).json().path("id").asLong();
        ObjectNode edited = api.get("/api/tokens/" + id).json().deepCopy();
        assertEquals("expired", edited.path("status").asText());
        edited.put("expires_at", Instant.now().getEpochSecond() + 3600);
        Reply r = api.put("/api/tokens/" + id, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals("enabled", r.json().path("status").asText());
    }

    @Test
    void anExhaustedTokenCanBeToppedUpFromItsAnswer() {
        long id = api.post("/api/tokens", json("{'unlimited_quota':false}")).json().path("id").asLong();
        ObjectNode edited = api.get("/api/tokens/" + id).json().deepCopy();
        assertEquals("exhausted", edited.path("status").asText());
        edited.put("remain_quota", 1_000_000);
        Reply r = api.put("/api/tokens/" + id, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals("enabled", r.json().path("status").asText());
    }

    @Test
    void aDisabledExpiredTokenStaysDisabled() {
        long past = Instant.now().getEpochSecond() - 60;
        long id = api.post("/api/tokens", json("{'expires_at':" + past + ",'status':'disabled'}")).json().path("id")
                .asLong();
        ObjectNode edited = api.get("/api/tokens/" + id).json().deepCopy();
        edited.put("expires_at", Instant.now().getEpochSecond() + 3600);
        Reply r = api.put("/api/tokens/" + id, edited);
        assertEquals(200, r.status(), r.toString());
        assertEquals("disabled", r.json().path("status").asText());
    }

    @Test
    void aClientCannotSetADerivedStatus() {
        assertEquals("status", assertError(api.post("/api/tokens", json("{'status':'expired'}")), 400,
                "invalid_value").path("param").asText());
        long id = api.post("/api/tokens", json("{}")).json().path("id").asLong();
        assertEquals("status", assertError(api.put("/api/tokens/" + id, json("{'status':'exhausted'}")), 400,
                "invalid_value").path("param").asText());
    }
}
