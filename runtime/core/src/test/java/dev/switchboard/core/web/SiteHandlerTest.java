package dev.switchboard.core.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.web.WebAsset;
import dev.switchboard.api.web.WebAssets;
import dev.switchboard.core.server.ConsoleFallbackHandler;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.server.GatewayServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console site: served while registered, the fallback 404 otherwise, safe paths and the right headers. */
class SiteHandlerTest {

    private final Sites sites = new Sites();
    private GatewayServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A site made of a map. */
    private record MapSite(String site, Map<String, String> files) implements WebAssets {
        @Override
        public Optional<WebAsset> find(String path) {
            String body = files.get(path);
            return body == null ? Optional.empty() : Optional.of(new WebAsset(body.getBytes(StandardCharsets.UTF_8),
                    path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8",
                    Integer.toHexString(body.hashCode())));
        }
    }

    private static final MapSite CONSOLE = new MapSite("console", Map.of("index.html", "<p>index</p>",
            "js/app.js", "export const app = 1;"));

    @BeforeEach
    void start() throws Exception {
        Handler none = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        };
        server = new GatewayServer("127.0.0.1", 0, Duration.ofSeconds(5), new GatewayHandler(none, none, none,
                new SiteHandler(sites, new ConsoleFallbackHandler())));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void withoutAConsoleTheRootIsTheFallback404() throws Exception {
        sites.add(new Sites.Registered(new MapSite("other", Map.of("index.html", "x")), 1, 0));
        HttpResponse<String> r = get("/", Map.of());
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("console_not_installed"), r.body());
    }

    @Test
    void servesFilesAtTheRootAndUnderConsoleWithSecurityHeaders() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        HttpResponse<String> index = get("/", Map.of());
        assertEquals(200, index.statusCode());
        assertEquals("<p>index</p>", index.body());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(""));
        assertEquals(SiteHandler.CSP, index.headers().firstValue("Content-Security-Policy").orElse(""));
        assertTrue(SiteHandler.CSP.contains("script-src 'self'") && !SiteHandler.CSP.contains("unsafe-inline"));
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> js = get("/console/js/app.js", Map.of());
        assertEquals(200, js.statusCode());
        assertEquals("export const app = 1;", js.body());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
        assertEquals(js.body(), get("/js/app.js", Map.of()).body());
        assertEquals("<p>index</p>", get("/console/", Map.of()).body());
    }

    @Test
    void appRoutesGetTheIndexAndMissingFilesA404() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        assertEquals("<p>index</p>", get("/channels", Map.of()).body());
        assertEquals("<p>index</p>", get("/console/logs", Map.of()).body());
        HttpResponse<String> missing = get("/js/missing.js", Map.of());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"unknown_url\""), missing.body());
    }

    @Test
    void anUnchangedFileIsA304ByItsEtag() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        String etag = get("/js/app.js", Map.of()).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/js/app.js", Map.of("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(200, get("/js/app.js", Map.of("If-None-Match", "\"other\"")).statusCode());
    }

    @Test
    void theHigherRankingThenNewerRegistrationWins() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        sites.add(new Sites.Registered(new MapSite("console", Map.of("index.html", "newer")), 2, 0));
        assertEquals("newer", get("/", Map.of()).body());
        sites.add(new Sites.Registered(new MapSite("console", Map.of("index.html", "ranked")), 3, 0));
        sites.add(new Sites.Registered(new MapSite("console", Map.of("index.html", "high")), 0, 5));
        assertEquals("high", get("/", Map.of()).body());
        sites.remove(0);
        assertEquals("ranked", get("/", Map.of()).body());
        sites.remove(1);
        sites.remove(2);
        sites.remove(3);
        assertEquals(404, get("/", Map.of()).statusCode());
    }

    @Test
    void pathsThatStepOutsideTheSiteAreRefused() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        for (String path : new String[] {"/js/%2e%2e/index.html", "/js/..%2Fjs/app.js", "/js//app.js",
                "/js%5Capp.js", "/%2e%2e/%2e%2e/etc/passwd"}) {
            int status = raw(path);
            assertTrue(status == 400 || status == 404, path + " answered " + status);
        }
        assertEquals(null, SitePaths.relative("/a/../b"));
        assertEquals(null, SitePaths.relative("/a\\b"));
        assertEquals("a/b.js", SitePaths.relative("/console/a/b.js"));
    }

    @Test
    void consoleWithoutTheSlashRedirectsAndHeadSendsNoBody() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        HttpResponse<String> redirect = get("/console", Map.of());
        assertTrue(redirect.statusCode() == 302 || redirect.statusCode() == 301, redirect.toString());
        assertTrue(redirect.headers().firstValue("Location").orElse("").endsWith("/console/"));
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/js/app.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(String.valueOf("export const app = 1;".length()),
                head.headers().firstValue("Content-Length").orElse(""));
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        sites.add(new Sites.Registered(CONSOLE, 1, 0));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers
                .ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the path as written: the JDK client would normalise some of these. */
    private int raw(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
