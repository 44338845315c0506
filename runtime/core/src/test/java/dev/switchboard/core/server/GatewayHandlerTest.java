package dev.switchboard.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The root handler: dispatch by path prefix, a request id on every answer, and no stack trace on a failure. */
class GatewayHandlerTest {

    private GatewayServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        GatewayHandler root = new GatewayHandler(named("relay"), named("admin"), named("health"), named("console"));
        server = new GatewayServer("127.0.0.1", 0, Duration.ofSeconds(5), root);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pathsGoToTheirHandlers() throws Exception {
        assertEquals("relay", get("/v1/chat/completions").body());
        assertEquals("relay", get("/v1").body());
        assertEquals("admin", get("/api/channels").body());
        assertEquals("admin", get("/api").body());
        assertEquals("health", get("/health").body());
        assertEquals("console", get("/").body());
        assertEquals("console", get("/console/index.html").body());
        assertEquals("console", get("/v1beta/models").body(), "only /v1 and /v1/... are the relay's");
        assertEquals("console", get("/apis").body());
    }

    @Test
    void aHandlerThatDeclinesGivesA404() throws Exception {
        HttpResponse<String> r = get("/v1/decline");
        assertEquals(404, r.statusCode());
        assertEquals("unknown_url", new ObjectMapper().readTree(r.body()).path("error").path("code").asText());
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
    }

    @Test
    void aFailingHandlerGivesA500NamingTheRequestIdWithoutTheException() throws Exception {
        HttpResponse<String> r = get("/v1/fail");
        assertEquals(500, r.statusCode());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode error = new ObjectMapper().readTree(r.body()).path("error");
        assertEquals("internal_error", error.path("code").asText());
        assertTrue(error.path("message").asText().contains(id), r.body());
        assertFalse(r.body().contains("boom-secret-detail"), "the exception leaked: " + r.body());
        assertFalse(r.body().contains("at dev.switchboard"), "a stack trace leaked: " + r.body());
    }

    @Test
    void requestIdsDifferBetweenRequests() throws Exception {
        String a = get("/health").headers().firstValue("X-Request-Id").orElseThrow();
        String b = get("/health").headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(a.equals(b));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Answers its name; under /v1/decline it declines the request, under /v1/fail it throws. */
    private static Handler named(String name) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if (path.equals("/v1/decline")) {
                    return false;
                }
                if (path.equals("/v1/fail")) {
                    throw new IllegalStateException("boom-secret-detail");
                }
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
    }
}
