package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testkit.Reply;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The admin credential, unknown admin URLs and methods a route does not have. */
class AdminAuthAndRoutingTest extends AdminApiTest {

    @Test
    void withoutATokenTheAnswerIs401WithWwwAuthenticate() {
        Reply r = api.send(api.anonymous("/api/channels").GET());
        assertError(r, 401, "invalid_api_key");
        assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Bearer"), r.header("WWW-Authenticate")
                .toString());
        assertTrue(r.error().path("message").asText().contains("Authorization: Bearer"));
    }

    @Test
    void aWrongTokenIs401() {
        Reply r = api.send(api.anonymous("/api/tokens").header("Authorization", "Bearer not-the-admin-token").GET());
        assertError(r, 401, "invalid_api_key");
        assertTrue(r.header("WWW-Authenticate").isPresent());
    }

    @Test
    void anotherSchemeIs401() {
        Reply r = api.send(api.anonymous("/api/channels").header("Authorization", "Basic dGVzdC1hZG1pbi10b2tlbg==")
                .GET());
        assertError(r, 401, "invalid_api_key");
    }

    @Test
    void nothingIsChangedWithoutTheToken() {
        Reply r = api.send(api.anonymous("/api/channels").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"type\":\"openai\",\"key\":\"k\"}")));
        assertEquals(401, r.status());
        assertEquals(0, api.get("/api/channels").json().path("total").asInt());
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        Reply r = api.send(api.anonymous("/api/channels").header("Authorization", "bearer test-admin-token").GET());
        assertEquals(200, r.status(), r.toString());
    }

    @Test
    void anUnknownAdminUrlIs404() {
        Reply r = api.get("/api/nothing-here");
        JsonAssert.contains(assertError(r, 404, "unknown_url").path("message").asText(), "/api/nothing-here");
        assertError(api.get("/api/channels/1/nothing"), 404, "unknown_url");
        assertError(api.get("/api/"), 404, "unknown_url");
    }

    @Test
    void aMethodTheRouteDoesNotHaveIs405WithAllow() {
        Reply r = api.send(api.request("/api/channels").method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertError(r, 405, "method_not_allowed");
        assertEquals(Set.of("GET", "POST"), methods(r));

        Reply one = api.send(api.request("/api/channels/1").POST(HttpRequest.BodyPublishers.noBody()));
        assertError(one, 405, "method_not_allowed");
        assertEquals(Set.of("GET", "PUT", "DELETE"), methods(one));

        Reply enable = api.get("/api/channels/1/enable");
        assertError(enable, 405, "method_not_allowed");
        assertEquals(Set.of("POST"), methods(enable));

        Reply types = api.delete("/api/channel-types");
        assertError(types, 405, "method_not_allowed");
        assertEquals(Set.of("GET"), methods(types));
    }

    @Test
    void adminAnswersAreNotCached() {
        assertEquals("no-store", api.get("/api/channels").header("Cache-Control").orElse(""));
        assertFalse(api.get("/api/channels").header("Set-Cookie").isPresent());
    }

    private static Set<String> methods(Reply r) {
        return Arrays.stream(r.header("Allow").orElse("").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
