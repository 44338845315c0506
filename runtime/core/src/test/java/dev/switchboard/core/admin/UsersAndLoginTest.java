package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users, console login with cookies and CSRF, personal access tokens and role checks. */
class UsersAndLoginTest extends AdminApiTest {

    /** A logged-in browser: its cookies and CSRF token. */
    record Browser(String session, String csrf, JsonNode me) {
        String cookie() {
            return "sb_session=" + session + "; sb_csrf=" + csrf;
        }
    }

    Browser login(String username, String password) {
        Reply r = loginReply(username, password, null);
        assertEquals(200, r.status(), r.toString());
        String session = cookieValue(r.headers("Set-Cookie"), "sb_session");
        String csrf = cookieValue(r.headers("Set-Cookie"), "sb_csrf");
        assertEquals(csrf, r.json().path("csrf_token").asText());
        return new Browser(session, csrf, r.json());
    }

    Reply loginReply(String username, String password, String forwardedProto) {
        HttpRequest.Builder b = api.anonymous("/api/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\""
                        + password + "\"}"));
        if (forwardedProto != null) {
            b.header("X-Forwarded-Proto", forwardedProto);
        }
        return api.send(b);
    }

    static String cookieValue(List<String> setCookies, String name) {
        for (String c : setCookies) {
            if (c.startsWith(name + "=")) {
                return c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
            }
        }
        throw new AssertionError("no cookie " + name + " in " + setCookies);
    }

    static String cookieLine(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    }

    String origin() {
        return "http://" + api.base().getAuthority();
    }

    Reply withCookie(Browser b, String method, String path, String json, boolean csrf, String origin) {
        HttpRequest.Builder r = api.anonymous(path).header("Cookie", b.cookie());
        if (csrf) {
            r.header("X-CSRF-Token", b.csrf());
        }
        if (origin != null) {
            r.header("Origin", origin);
        }
        if (json != null) {
            r.header("Content-Type", "application/json");
        }
        return api.send(r.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    JsonNode createUser(String name, String role) {
        Reply r = api.post("/api/users", json("{'username':'" + name + "','password':'pass-" + name + "-123',"
                + "'role':'" + role + "','quota':5000000}"));
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }

    @Test
    void rootExistsAndLogsInWithASessionCookieThatIsHttpOnlyAndStrict() {
        Browser root = login("root", AdminApiServer.ROOT_PASSWORD);
        assertEquals("root", root.me().path("role").asText());
        assertEquals(1, root.me().path("id").asLong());
        assertTrue(root.me().path("unlimited_quota").asBoolean());
        assertFalse(root.me().has("password_hash"));
        Reply r = loginReply("root", AdminApiServer.ROOT_PASSWORD, null);
        String session = cookieLine(r.headers("Set-Cookie"), "sb_session");
        assertTrue(session.contains("HttpOnly"), session);
        assertTrue(session.contains("SameSite=Strict"), session);
        assertTrue(session.contains("Path=/"), session);
        assertFalse(session.contains("Secure"), "plain HTTP: " + session);
        assertFalse(cookieLine(r.headers("Set-Cookie"), "sb_csrf").contains("HttpOnly"), "the console reads it");
        String behindTls = cookieLine(loginReply("root", AdminApiServer.ROOT_PASSWORD, "https").headers("Set-Cookie"),
                "sb_session");
        assertTrue(behindTls.contains("Secure"), behindTls);
    }

    @Test
    void wrongPasswordsAre401AndThenLimited() {
        assertError(loginReply("root", "wrong-password", null), 401, "invalid_credentials");
        assertError(loginReply("nobody", "wrong-password", null), 401, "invalid_credentials");
        assertError(loginReply("root", "wrong-password", null), 401, "invalid_credentials");
        assertError(loginReply("root", "wrong-password", null), 401, "invalid_credentials");
        Reply limited = loginReply("root", AdminApiServer.ROOT_PASSWORD, null);
        assertError(limited, 429, "too_many_login_attempts");
        assertTrue(Long.parseLong(limited.header("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void cookieChangesNeedTheCsrfHeaderAndThisOrigin() {
        Browser root = login("root", AdminApiServer.ROOT_PASSWORD);
        assertEquals(200, withCookie(root, "GET", "/api/auth/me", null, false, null).status(), "reads need neither");
        String body = "{\"name\":\"from the console\"}";
        assertError(withCookie(root, "POST", "/api/tokens", body, false, origin()), 403, "csrf_failed");
        assertError(withCookie(root, "POST", "/api/tokens", body, true, null), 403, "csrf_failed");
        assertError(withCookie(root, "POST", "/api/tokens", body, true, "http://evil.example"), 403, "csrf_failed");
        Reply forged = withCookie(new Browser(root.session(), "guessed", root.me()), "POST", "/api/tokens", body, true,
                origin());
        assertError(forged, 403, "csrf_failed");
        assertEquals(0, api.get("/api/tokens").json().path("total").asInt(), "nothing was created");
        Reply ok = withCookie(root, "POST", "/api/tokens", body, true, origin());
        assertEquals(201, ok.status(), ok.toString());
        assertEquals(1, ok.json().path("user_id").asLong());
    }

    @Test
    void aRefusedChangeLeavesTheConnectionUsableForTheNextRequest() throws Exception {
        Browser root = login("root", AdminApiServer.ROOT_PASSWORD);
        java.net.http.HttpClient keepAlive = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        String body = "{\"name\":\"" + "x".repeat(20_000) + "\"}";
        for (int i = 0; i < 3; i++) {
            java.net.http.HttpResponse<String> refused = keepAlive.send(HttpRequest.newBuilder(
                    api.base().resolve("/api/tokens")).header("Cookie", root.cookie()).header("Origin", origin())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
            java.net.http.HttpResponse<String> next = keepAlive.send(HttpRequest.newBuilder(
                    api.base().resolve("/api/auth/me")).header("Cookie", root.cookie()).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    @Test
    void logoutEndsTheSession() {
        Browser root = login("root", AdminApiServer.ROOT_PASSWORD);
        Reply out = withCookie(root, "POST", "/api/auth/logout", null, true, origin());
        assertEquals(204, out.status(), out.toString());
        String cleared = cookieLine(out.headers("Set-Cookie"), "sb_session");
        assertTrue(cleared.contains("Max-Age=0") || cleared.contains("1970"), cleared);
        assertError(withCookie(root, "GET", "/api/auth/me", null, false, null), 401, "session_expired");
    }

    @Test
    void aUserSeesOnlyTheirOwnTokensAndNoAdminResource() {
        createChannel("{'name':'c','type':'openai','key':'" + VENDOR_KEY + "','models':['gpt-4o']}");
        long rootToken = api.post("/api/tokens", json("{'name':'root token'}")).json().path("id").asLong();
        JsonNode alice = createUser("alice", "user");
        assertFalse(alice.has("password"));
        assertFalse(alice.toString().contains("pass-alice"));
        Browser b = login("alice", "pass-alice-123");
        assertError(withCookie(b, "GET", "/api/channels", null, false, null), 403, "forbidden");
        assertError(withCookie(b, "GET", "/api/channels/1", null, false, null), 403, "forbidden");
        assertError(withCookie(b, "GET", "/api/users", null, false, null), 403, "forbidden");
        assertError(withCookie(b, "POST", "/api/users", "{\"username\":\"x\",\"password\":\"12345678\"}", true,
                origin()), 403, "forbidden");
        Reply mine = withCookie(b, "POST", "/api/tokens", "{\"name\":\"alice's\"}", true, origin());
        assertEquals(201, mine.status(), mine.toString());
        assertEquals(alice.path("id").asLong(), mine.json().path("user_id").asLong());
        JsonNode list = withCookie(b, "GET", "/api/tokens", null, false, null).json();
        assertEquals(1, list.path("total").asInt(), list.toString());
        assertEquals("alice's", list.path("data").get(0).path("name").asText());
        assertError(withCookie(b, "GET", "/api/tokens/" + rootToken, null, false, null), 404, "not_found");
        assertError(withCookie(b, "DELETE", "/api/tokens/" + rootToken, null, true, origin()), 404, "not_found");
        assertError(withCookie(b, "PUT", "/api/tokens/" + mine.json().path("id").asLong(), "{\"group\":\"vip\"}",
                true, origin()), 403, "forbidden");
        assertEquals(2, api.get("/api/tokens").json().path("total").asInt(), "root sees both");
    }

    @Test
    void onlyRootManagesAdmins() {
        createUser("carol", "admin");
        Browser carol = login("carol", "pass-carol-123");
        assertEquals(200, withCookie(carol, "GET", "/api/channels", null, false, null).status());
        assertEquals(200, withCookie(carol, "GET", "/api/users", null, false, null).status());
        Reply dave = withCookie(carol, "POST", "/api/users", "{\"username\":\"dave\",\"password\":\"12345678\"}",
                true, origin());
        assertEquals(201, dave.status(), dave.toString());
        assertError(withCookie(carol, "POST", "/api/users",
                "{\"username\":\"eve\",\"password\":\"12345678\",\"role\":\"admin\"}", true, origin()), 403,
                "forbidden");
        assertError(withCookie(carol, "PUT", "/api/users/" + dave.json().path("id").asLong(), "{\"role\":\"admin\"}",
                true, origin()), 403, "forbidden");
        assertError(withCookie(carol, "DELETE", "/api/users/1", null, true, origin()), 403, "forbidden");
        assertError(api.delete("/api/users/1"), 400, "invalid_value");
    }

    @Test
    void aPersonalAccessTokenActsAsItsUserUntilTheUserIsDisabled() {
        long id = createUser("bob", "user").path("id").asLong();
        Reply issued = api.post("/api/users/" + id + "/access-token", "{}");
        assertEquals(201, issued.status(), issued.toString());
        String pat = issued.json().path("access_token").asText();
        assertTrue(pat.startsWith("sb-pat-"), pat);
        assertTrue(issued.json().path("access_token_masked").asText().contains("..."));
        Reply me = api.send(api.anonymous("/api/auth/me").header("Authorization", "Bearer " + pat).GET());
        assertEquals("bob", me.json().path("username").asText(), me.toString());
        Reply post = api.send(api.anonymous("/api/tokens").header("Authorization", "Bearer " + pat)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(201, post.status(), "a bearer token needs no CSRF header: " + post);
        assertError(api.send(api.anonymous("/api/channels").header("Authorization", "Bearer " + pat).GET()), 403,
                "forbidden");
        assertEquals(200, api.put("/api/users/" + id, json("{'status':'disabled'}")).status());
        assertError(api.send(api.anonymous("/api/auth/me").header("Authorization", "Bearer " + pat).GET()), 403,
                "user_disabled");
        assertError(loginReply("bob", "pass-bob-123", null), 403, "user_disabled");
    }

    @Test
    void usersAreValidatedAndUnique() {
        assertError(api.post("/api/users", json("{'username':'x','password':'short'}")), 400, "invalid_value");
        assertError(api.post("/api/users", json("{'username':'bad name','password':'12345678'}")), 400,
                "invalid_value");
        assertError(api.post("/api/users", json("{'username':'x','password':'12345678','role':'god'}")), 400,
                "invalid_value");
        createUser("frank", "user");
        assertError(api.post("/api/users", json("{'username':'frank','password':'12345678'}")), 409, "user_exists");
        JsonNode list = api.get("/api/users").json();
        assertEquals(2, list.path("total").asInt(), list.toString());
        assertNotNull(list.path("data").get(0).path("quota"));
    }

    @Test
    void deletingAUserDeletesTheirTokens() {
        long id = createUser("gina", "user").path("id").asLong();
        assertEquals(201, api.post("/api/tokens", json("{'name':'for gina','user_id':" + id + "}")).status());
        assertEquals(1, api.get("/api/tokens?user_id=" + id).json().path("total").asInt());
        assertEquals(204, api.delete("/api/users/" + id).status());
        assertEquals(0, api.get("/api/tokens?user_id=" + id).json().path("total").asInt());
        assertError(api.get("/api/users/" + id), 404, "not_found");
    }
}
