package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.Reply;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Input the admin API cannot use: 400 with a message naming the field, or 413 for a body too large. */
class ChannelInputErrorsTest extends AdminApiTest {

    @AfterEach
    void nothingWasStored() {
        assertEquals(0, api.get("/api/channels").json().path("total").asInt());
    }

    @Test
    void malformedJsonIs400InvalidJson() {
        assertError(api.post("/api/channels", "{\"name\": \"x\", "), 400, "invalid_json");
        assertError(api.post("/api/channels", "{\"name\": 'x'}"), 400, "invalid_json");
        assertError(api.post("/api/channels", "{} {}"), 400, "invalid_json");
    }

    @Test
    void anEmptyBodyOrANonObjectIs400InvalidJson() {
        assertError(api.post("/api/channels", ""), 400, "invalid_json");
        assertError(api.post("/api/channels", "[1,2]"), 400, "invalid_json");
        assertError(api.post("/api/channels", "\"channel\""), 400, "invalid_json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'models':'gpt-4o'                | models        | models must be a list of model names",
        "'models':['gpt-4o',4]            | models        | models must be a list of model names",
        "'groups':'default'               | groups        | groups must be a list of group names",
        "'groups':[]                      | groups        | groups must name at least one group",
        "'priority':'high'                | priority      | priority must be an integer",
        "'priority':1.5                   | priority      | priority must be an integer",
        "'weight':-1                      | weight        | weight must be 0 or more",
        "'name':7                         | name          | name must be a string",
        "'model_mapping':['a']            | model_mapping | model_mapping must be an object",
        "'model_mapping':{'gpt-4o':1}     | model_mapping | model_mapping.gpt-4o must be a non-empty string",
        "'status':'auto_disabled'         | status        | status must be enabled or disabled",
        "'base_url':'api.example.com/v1'  | base_url      | base_url must be an absolute URL",
        "'proxy':'ftp://proxy.example'    | proxy         | proxy must be an absolute URL",
        "'colour':'blue'                  | colour        | unknown field 'colour'",
    })
    void aWrongTypeIs400WithAMessageNamingTheField(String field, String param, String message) {
        Reply r = api.post("/api/channels",
                json("{'name':'x','type':'openai','key':'" + VENDOR_KEY + "'," + field + "}"));
        JsonNode error = assertError(r, 400, "invalid_value");
        assertEquals(param, error.path("param").asText(), r.toString());
        JsonAssert.contains(error.path("message").asText(), message);
        assertEquals("invalid_request_error", error.path("type").asText());
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"name", "type", "key"})
    void aRequiredFieldMissingIs400NamingIt(String field) {
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                json("{'name':'x','type':'openai','key':'" + VENDOR_KEY + "'}");
        body.remove(field);
        JsonNode error = assertError(api.post("/api/channels", body), 400, "missing_field");
        assertEquals(field, error.path("param").asText());
        JsonAssert.contains(error.path("message").asText(), field + " is required");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        Reply r = api.post("/api/channels", oversized());
        JsonAssert.contains(assertError(r, 413, "body_too_large").path("message").asText(),
                String.valueOf(AdminApiServer.MAX_BODY));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        byte[] body = oversized().getBytes(StandardCharsets.UTF_8);
        // A stream publisher has no length: the body goes chunked and is counted while read.
        Reply r = api.send(api.request("/api/channels").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertError(r, 413, "body_too_large");
    }

    private static String oversized() {
        return "{\"name\":\"x\",\"type\":\"openai\",\"key\":\"" + VENDOR_KEY + "\",\"models\":[\""
                + "m".repeat(AdminApiServer.MAX_BODY) + "\"]}";
    }
}
