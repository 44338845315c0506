package dev.switchboard.plugin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.web.WebAsset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built console site (target/classes/console, with the chart library unpacked from its WebJar): every file
 * typed, every reference between its files resolvable, nothing fetched from another host, no inline script.
 */
class ConsoleAssetsTest {

    private static final Path SITE = Path.of("target", "classes", "console");
    private static final Pattern IMPORT = Pattern.compile("(?:import\\s[^'\"]*?from\\s*|import\\()\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    private static Map<String, WebAsset> files;
    private static Map<String, String> texts;

    @BeforeAll
    static void read() throws IOException {
        files = new HashMap<>();
        texts = new HashMap<>();
        try (Stream<Path> all = Files.walk(SITE)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                String rel = SITE.relativize(p).toString().replace('\\', '/');
                byte[] bytes = Files.readAllBytes(p);
                files.put(rel, Assets.of(rel, bytes));
                texts.put(rel, new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theSiteIsTheConsoleAndFindsItsFiles() {
        ConsoleAssets site = new ConsoleAssets(files);
        assertEquals("console", site.site());
        assertTrue(site.find("index.html").isPresent());
        assertTrue(site.find("vendor/uplot/uPlot.esm.js").isPresent(), "uPlot comes from its WebJar");
        assertTrue(site.find("missing.js").isEmpty());
    }

    @Test
    void filesAreTypedByExtensionAndTaggedByContent() {
        assertEquals("text/html; charset=utf-8", files.get("index.html").contentType());
        assertEquals("text/javascript; charset=utf-8", files.get("js/main.js").contentType());
        assertEquals("text/css; charset=utf-8", files.get("css/console.css").contentType());
        assertEquals("image/svg+xml", files.get("favicon.svg").contentType());
        assertEquals("text/plain; charset=utf-8", Assets.type("vendor/uplot/LICENSE"));
        assertEquals(Assets.of("a.js", new byte[] {1}).etag(), Assets.of("b.js", new byte[] {1}).etag());
        assertNotEquals(Assets.of("a.js", new byte[] {1}).etag(), Assets.of("a.js", new byte[] {2}).etag());
    }

    @Test
    void everyReferenceBetweenTheFilesResolves() {
        Matcher html = HTML_REF.matcher(texts.get("index.html"));
        while (html.find()) {
            assertTrue(files.containsKey(html.group(1)), "index.html refers to a missing " + html.group(1));
        }
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (!e.getKey().endsWith(".js") || e.getKey().startsWith("vendor/")) {
                continue;
            }
            Matcher m = IMPORT.matcher(e.getValue());
            while (m.find()) {
                Path target = Path.of(e.getKey()).resolveSibling(m.group(1)).normalize();
                assertTrue(files.containsKey(target.toString().replace('\\', '/')),
                        e.getKey() + " imports a missing " + m.group(1));
            }
        }
    }

    @Test
    void nothingComesFromAnotherHostAndNoScriptIsInline() {
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (e.getKey().startsWith("vendor/")) {
                continue;
            }
            for (String bad : List.of("http://", "https://", "//cdn")) {
                assertFalse(e.getValue().contains("src=\"" + bad) || e.getValue().contains("href=\"" + bad)
                        || e.getValue().contains("from '" + bad), e.getKey() + " loads from another host");
            }
        }
        String index = texts.get("index.html");
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(index).find(), "an inline script");
        assertFalse(index.contains(" on") && Pattern.compile("\\son[a-z]+=").matcher(index).find(),
                "an inline event handler");
    }
}
