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

/** /api/tokens: the key answered once, the defaults, derived statuses, subnets, update and delete. */
class TokensApiTest extends AdminApiTest {

    private static final Set<String> CONTRACT_FIELDS = Set.of("id", "name", "key_masked", "status", "expires_at",
            "unlimited_quota", "remain_quota", "used_quota", "models", "subnets", "group", "rpm", "tpm",
            "max_concurrency", "user_id", "created_at");

    @Test
    void theFullKeyIsAnsweredOnceThenOnlyMasked() {
        Reply created = api.post("/api/tokens", json("{'name':'ci'}"));
        assertEquals(201, created.status(), created.toString());
        String key = created.json().path("key").asText();
        assertTrue(key.matches("sk-[0-9A-Za-z]{48}"), key);
        String masked = created.json().path("key_masked").asText();
        assertEquals(key.substring(0, 5) + "..." + key.substring(key.length() - 4), masked);

        long id = created.json().path("id").asLong();
        for (Reply r : List.of(api.get("/api/tokens/" + id), api.get("/api/tokens"),
                api.put("/api/tokens/" + id, json("{'name':'ci-2'}")))) {
            assertEquals(200, r.status(), r.toString());
            assertFalse(r.text().contains(key), "the key leaked in " + r);
            assertFalse(r.text().contains("\"key\""), "a key field in " + r);
            assertTrue(r.text().contains(masked), r.toString());
        }
    }

    @Test
    void everyTokenGetsItsOwnKey() {
        String a = api.post("/api/tokens", json("{}")).json().path("key").asText();
        String b = api.post("/api/tokens", json("{}")).json().path("key").asText();
        assertFalse(a.equals(b));
    }

    @Test
    void theDefaultsAreAllModelsNoExpiryUnlimitedAndOwnedByRoot() {
        JsonNode t = api.post("/api/tokens", json("{'name':'defaults'}")).json();
        List<String> missing = CONTRACT_FIELDS.stream().filter(f -> !t.has(f)).sorted().toList();
        assertEquals(List.of(), missing, "fields of the contract missing from " + t);
        assertEquals(true, t.path("unlimited_quota").asBoolean());
        assertTrue(t.path("expires_at").isNull(), t.toString());
        assertEquals(json("[]"), t.path("models"));
        assertEquals(json("[]"), t.path("subnets"));
        assertEquals("enabled", t.path("status").asText());
        assertTrue(t.path("rpm").isNull() && t.path("tpm").isNull() && t.path("max_concurrency").isNull());
        assertEquals(0, t.path("used_quota").asLong());
        assertEquals(1, t.path("user_id").asLong(), "a token made with the admin token belongs to root");
        assertTrue(t.path("created_at").isIntegralNumber());
    }

    @Test
    void givenFieldsAreKept() {
        long in1h = Instant.now().getEpochSecond() + 3600;
        JsonNode t = api.post("/api/tokens", json("{'name':'limited','expires_at':" + in1h + ",'unlimited_quota':false,"
                + "'remain_quota':5000000,'models':['gpt-4o'],'subnets':['10.0.0.0/8','2001:db8::/32'],"
                + "'group':'vip','rpm':60,'tpm':100000,'max_concurrency':4}")).json();
        assertEquals(in1h, t.path("expires_at").asLong());
        assertEquals(false, t.path("unlimited_quota").asBoolean());
        assertEquals(5_000_000, t.path("remain_quota").asLong());
        assertEquals(json("['gpt-4o']"), t.path("models"));
        assertEquals(json("['10.0.0.0/8','2001:db8::/32']"), t.path("subnets"));
        assertEquals("vip", t.path("group").asText());
        assertEquals(60, t.path("rpm").asInt());
        assertEquals(100_000, t.path("tpm").asInt());
        assertEquals(4, t.path("max_concurrency").asInt());
        assertEquals("enabled", t.path("status").asText());
    }

    @Test
    void aPastExpiryShowsAsExpired() {
        long past = Instant.now().getEpochSecond() - 60;
        JsonNode t = api.post("/api/tokens", json("{'expires_at':" + past + "}")).json();
        assertEquals("expired", t.path("status").asText());
        assertEquals("expired", api.get("/api/tokens/" + t.path("id").asLong()).json().path("status").asText());
    }

    @Test
    void aLimitedTokenWithNothingLeftShowsAsExhausted() {
        JsonNode t = api.post("/api/tokens", json("{'unlimited_quota':false,'remain_quota':0}")).json();
        assertEquals("exhausted", t.path("status").asText());
        Reply topped = api.put("/api/tokens/" + t.path("id").asLong(), json("{'remain_quota':1000}"));
        assertEquals("enabled", topped.json().path("status").asText());
    }

    @Test
    void aDisabledTokenShowsAsDisabledWhateverElse() {
        JsonNode t = api.post("/api/tokens", json("{'status':'disabled','unlimited_quota':false}")).json();
        assertEquals("disabled", t.path("status").asText());
    }

    @Test
    void badSubnetsAre400() {
        for (String subnet : List.of("10.0.0.0/33", "10.0.0.0/x", "not-a-subnet", "2001:db8::/129", "")) {
            Reply r = api.post("/api/tokens", json("{'subnets':['" + subnet + "', 'oops/8']}"));
            JsonNode error = assertError(r, 400, "invalid_value");
            assertEquals("subnets", error.path("param").asText());
            JsonAssert.contains(error.path("message").asText(), "CIDR");
        }
        assertEquals(0, api.get("/api/tokens").json().path("total").asInt());
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        assertEquals("models", assertError(api.post("/api/tokens", json("{'models':'gpt-4o'}")), 400, "invalid_value")
                .path("param").asText());
        assertEquals("unlimited_quota", assertError(api.post("/api/tokens", json("{'unlimited_quota':'yes'}")), 400,
                "invalid_value").path("param").asText());
        assertEquals("remain_quota", assertError(api.post("/api/tokens", json("{'remain_quota':-1}")), 400,
                "invalid_value").path("param").asText());
        assertEquals("expires_at", assertError(api.post("/api/tokens", json("{'expires_at':'tomorrow'}")), 400,
                "invalid_value").path("param").asText());
        assertEquals("status", assertError(api.post("/api/tokens", json("{'status':'expired'}")), 400,
                "invalid_value").path("param").asText());
        assertError(api.post("/api/tokens", "{oops"), 400, "invalid_json");
    }

    @Test
    void anUpdateKeepsWhatItDoesNotName() {
        JsonNode t = api.post("/api/tokens", json("{'name':'a','models':['gpt-4o'],'rpm':10}")).json();
        Reply r = api.put("/api/tokens/" + t.path("id").asLong(), json("{'name':'b'}"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("b", r.json().path("name").asText());
        assertEquals(json("['gpt-4o']"), r.json().path("models"));
        assertEquals(10, r.json().path("rpm").asInt());
        assertEquals(t.path("key_masked"), r.json().path("key_masked"));
    }

    @Test
    void theListHasEveryTokenAndItsTotal() {
        api.post("/api/tokens", json("{'name':'one'}"));
        api.post("/api/tokens", json("{'name':'two'}"));
        JsonNode list = api.get("/api/tokens?per_page=1").json();
        assertEquals(2, list.path("total").asInt());
        assertEquals(1, list.path("data").size());
        assertEquals("one", list.path("data").path(0).path("name").asText());
    }

    @Test
    void deleteThen404() {
        long id = api.post("/api/tokens", json("{}")).json().path("id").asLong();
        assertEquals(204, api.delete("/api/tokens/" + id).status());
        assertError(api.get("/api/tokens/" + id), 404, "not_found");
        assertError(api.delete("/api/tokens/" + id), 404, "not_found");
        assertError(api.put("/api/tokens/" + id, json("{'name':'x'}")), 404, "not_found");
        assertEquals(0, api.get("/api/tokens").json().path("total").asInt());
    }
}
