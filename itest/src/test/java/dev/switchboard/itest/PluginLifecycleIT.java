package dev.switchboard.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SettingsLoader;
import dev.switchboard.launcher.spi.RuntimeControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The core in Felix, provisioned like the distribution's {@code system/}, with the launcher's services
 * registered by the test; then the OpenAI plugin is installed, updated in place to another version and
 * uninstalled, and the admin API follows each step while a channel of its type keeps its configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginLifecycleIT {

    /** The test JVM's properties, set by the pom: where the bundles were copied and the slf4j version. */
    private static final String SYSTEM_DIR = "switchboard.itest.system";
    private static final String PLUGINS_DIR = "switchboard.itest.plugins";
    private static final String WORK_DIR = "switchboard.itest.work";
    private static final String SLF4J_VERSION = "switchboard.itest.slf4j";

    private static final String ADMIN_TOKEN = "sb-admin-itest-0123456789";
    private static final long DEADLINE_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private BundleContext context;

    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private Path work;
    private String base;
    private Bundle plugin;

    /** Runs outside the framework: the framework as the launcher builds it, less FileInstall. */
    @Configuration
    public Option[] config() throws IOException {
        String slf4j = required(SLF4J_VERSION);
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(workingDirectory(Path.of(required(WORK_DIR)).resolve("paxexam").toString()));
        options.add(junitBundles());
        // What GatewayRuntime exports from the launcher's classpath. Pax Exam's own bundles import org.slf4j
        // [1.x,2): the same classes are offered to them as 1.7.36 too (slf4j 2 keeps the 1.7 API).
        options.add(systemPackages(
                "org.slf4j;version=" + slf4j,
                "org.slf4j.spi;version=" + slf4j,
                "org.slf4j.event;version=" + slf4j,
                "org.slf4j.helpers;version=" + slf4j,
                "org.slf4j;version=1.7.36",
                "dev.switchboard.config;version=1.0.0",
                "dev.switchboard.launcher.spi;version=1.0.0"));
        options.add(frameworkProperty("felix.log.level").value("1"));
        List<Path> jars = jars(Path.of(required(SYSTEM_DIR)));
        assertTrue("the core bundle is missing from " + required(SYSTEM_DIR),
                jars.stream().anyMatch(j -> j.getFileName().toString().startsWith("switchboard-core")));
        for (Path jar : jars) {
            options.add(bundle(jar.toUri().toString()));
        }
        return options.toArray(new Option[0]);
    }

    @Before
    public void startGateway() throws Exception {
        Path root = Path.of(required(WORK_DIR));
        Files.createDirectories(root);
        work = Files.createTempDirectory(root, "run-");
        int port = freePort();
        base = "http://127.0.0.1:" + port;

        Properties props = new Properties();
        props.setProperty("switchboard.host", "127.0.0.1");
        props.setProperty("switchboard.port", Integer.toString(port));
        props.setProperty("switchboard.data.dir", work.resolve("data").toString());
        props.setProperty("switchboard.plugins.dir", work.resolve("plugins").toString());
        props.setProperty("switchboard.admin_token", ADMIN_TOKEN);
        props.setProperty("switchboard.shutdown.grace", "1s");
        Settings settings = SettingsLoader.load(work, null, Map.of(), props);
        assertEquals(List.of(), settings.warnings());
        Files.createDirectories(settings.dataDir());
        Files.createDirectories(settings.pluginsDir());

        // The services the launcher registers on the system bundle; the core's Gateway waits for both.
        registrations.add(context.registerService(Settings.class, settings, null));
        registrations.add(context.registerService(RuntimeControl.class, new RuntimeControl() {
            @Override
            public void fatal(String message) {
                fatal.add(message);
            }

            @Override
            public List<String> startupPlugins() {
                return List.of();
            }
        }, null));

        JsonNode types = await("the admin API answers", () -> get("/api/channel-types"), r -> r.status == 200).json;
        assertTrue("no channel type before any plugin: " + types, types.path("data").isEmpty());
    }

    @After
    public void stopGateway() throws Exception {
        if (plugin != null && plugin.getState() != Bundle.UNINSTALLED) {
            plugin.uninstall();
        }
        // Deactivates the Gateway: Jetty stops and the store closes before the next test.
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    @Test
    public void pluginIsInstalledUpdatedAndUninstalledWhileTheCoreRuns() throws Exception {
        Path jar = Path.of(required(PLUGINS_DIR), "switchboard-plugin-openai.jar");
        String builtVersion = Version.parseVersion(manifest(jar).getValue("Bundle-Version")).toString();

        // Install: the type appears, served by the plugin bundle.
        try (InputStream in = Files.newInputStream(jar)) {
            plugin = context.installBundle("itest:switchboard-plugin-openai", in);
        }
        plugin.start();
        JsonNode type = awaitType("openai", t -> t != null && builtVersion.equals(t.path("plugin").path("version").asText()));
        assertEquals("dev.switchboard.plugin.openai", type.path("plugin").path("symbolic_name").asText());
        assertTrue("operations: " + type, type.path("operations").toString().contains("\"chat\""));

        // A channel of the type, created through the admin API.
        Response created = send("POST", "/api/channels", "{\"name\":\"itest-openai\",\"type\":\"openai\","
                + "\"key\":\"sk-itest-0123456789abcdef\",\"base_url\":\"http://127.0.0.1:9/v1\","
                + "\"models\":[\"gpt-4o-mini\"]}");
        assertEquals(created.body, 201, created.status);
        long channelId = created.json.path("id").asLong();
        assertTrue(created.json.path("type_installed").asBoolean());

        // Update in place to another Bundle-Version, then refresh: the type is now served by the new version.
        Path updated = withVersion(jar, "0.1.1", work.resolve("switchboard-plugin-openai-0.1.1.jar"));
        try (InputStream in = Files.newInputStream(updated)) {
            plugin.update(in);
        }
        refresh(plugin);
        assertEquals(Version.parseVersion("0.1.1"), plugin.getVersion());
        awaitType("openai", t -> t != null && "0.1.1".equals(t.path("plugin").path("version").asText()));
        assertEquals(List.of("openai"), typeIds());
        assertTrue(channel(channelId).path("type_installed").asBoolean());

        // Uninstall: the type vanishes; the channel stays, with its configuration, marked not installed.
        plugin.uninstall();
        refresh(plugin);
        awaitType("openai", t -> t == null);
        JsonNode channel = await("the channel to show its type as not installed",
                () -> get("/api/channels/" + channelId), r -> r.status == 200
                        && !r.json.path("type_installed").asBoolean(true)).json;
        assertEquals("itest-openai", channel.path("name").asText());
        assertEquals("openai", channel.path("type").asText());
        assertEquals("http://127.0.0.1:9/v1", channel.path("base_url").asText());
        assertEquals("[\"gpt-4o-mini\"]", channel.path("models").toString());
        assertEquals(1, get("/api/channels").json.path("total").asInt());
        assertEquals(List.of(), fatal);
    }

    @Test
    public void aPluginForAnotherApiMajorIsRefusedNamingTheVersionsAndTheRestRuns() throws Exception {
        Path jar = Path.of(required(PLUGINS_DIR), "switchboard-plugin-openai.jar");
        Path pluginsDir = work.resolve("plugins");
        // Built against a future api 2.x: bnd would have written [2.0,3).
        Path future = pluginsDir.resolve("future-plugin.jar");
        rewriteManifest(jar, future, m -> {
            m.putValue("Bundle-SymbolicName", "dev.switchboard.itest.future");
            String imports = m.getValue("Import-Package");
            String needed = imports.replace("dev.switchboard.api.provider;version=\"[1.0,2)\"",
                    "dev.switchboard.api.provider;version=\"[2.0,3)\"");
            assertFalse("the openai plugin no longer imports the api as [1.0,2): " + imports, needed.equals(imports));
            m.putValue("Import-Package", needed);
        });
        Path good = pluginsDir.resolve("switchboard-plugin-openai.jar");
        Files.copy(jar, good);

        Bundle refused = context.installBundle(future.toUri().toString());
        plugin = context.installBundle(good.toUri().toString());
        try {
            refused.start();
            fail("a plugin importing api [2,3) started on a 1.x runtime");
        } catch (org.osgi.framework.BundleException expected) {
            // as it should
        }
        plugin.start();
        try {
            awaitType("openai", t -> t != null);

            JsonNode plugins = get("/api/plugins").json;
            JsonNode bad = null;
            JsonNode ok = null;
            for (JsonNode p : plugins.path("data")) {
                if ("dev.switchboard.itest.future".equals(p.path("symbolic_name").asText())) {
                    bad = p;
                } else if ("dev.switchboard.plugin.openai".equals(p.path("symbolic_name").asText())) {
                    ok = p;
                }
            }
            assertNotNull("the refused plugin is listed: " + plugins, bad);
            assertEquals("installed", bad.path("state").asText());
            String error = bad.path("error").asText();
            assertTrue(error, error.contains("dev.switchboard.api.provider version [2.0.0,3.0.0)"));
            assertTrue(error, error.contains("this runtime has 1.0.0"));
            assertTrue(error, error.contains("rebuild the plugin"));
            assertEquals(List.of(), typeIds().stream().filter(id -> !id.equals("openai")).toList());

            assertNotNull("the working plugin is listed: " + plugins, ok);
            assertEquals("active", ok.path("state").asText());
            assertTrue(ok.path("error").isNull());
            assertEquals(List.of(), fatal);
        } finally {
            refused.uninstall();
        }
    }

    // --- framework helpers ---

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("the refresh did not finish in time", done.await(DEADLINE_MS, TimeUnit.MILLISECONDS));
    }

    /** A copy of a jar whose manifest declares another Bundle-Version. */
    private static Path withVersion(Path jar, String version, Path target) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)
                            || entry.getName().equalsIgnoreCase("META-INF/")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return target;
    }

    /** A copy of a jar with its manifest changed by {@code edit}. */
    private static void rewriteManifest(Path jar, Path target, java.util.function.Consumer<Attributes> edit)
            throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            edit.accept(manifest.getMainAttributes());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)
                            || entry.getName().equalsIgnoreCase("META-INF/")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    private static Attributes manifest(Path jar) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            return in.getManifest().getMainAttributes();
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertNotNull("system property " + property + " is not set (run the test through Maven)", value);
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // --- admin API helpers ---

    private record Response(int status, String body, JsonNode json) {
    }

    @FunctionalInterface
    private interface Call {
        Response run() throws IOException;
    }

    /** Polls until the answer matches, failing at once if the core reported a fatal error. */
    private Response await(String what, Call call, Predicate<Response> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        Response last = null;
        Exception error = null;
        while (System.nanoTime() < deadline) {
            if (!fatal.isEmpty()) {
                fail("the core reported a fatal error: " + fatal);
            }
            try {
                last = call.run();
                error = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                error = e; // not listening yet
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + what + "; last answer: "
                + (last == null ? null : last.status + " " + last.body) + (error == null ? "" : "; last error: " + error));
        return null;
    }

    /** Waits until the channel type (null when absent from GET /api/channel-types) matches. */
    private JsonNode awaitType(String id, Predicate<JsonNode> done) throws Exception {
        Response r = await("channel type '" + id + "' to change", () -> get("/api/channel-types"),
                resp -> resp.status == 200 && done.test(find(resp.json, id)));
        return find(r.json, id);
    }

    private List<String> typeIds() throws IOException {
        List<String> ids = new ArrayList<>();
        get("/api/channel-types").json.path("data").forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private JsonNode channel(long id) throws IOException {
        Response r = get("/api/channels/" + id);
        assertEquals(r.body, 200, r.status);
        return r.json;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode t : list.path("data")) {
            if (id.equals(t.path("id").asText())) {
                return t;
            }
        }
        return null;
    }

    private Response get(String path) throws IOException {
        return send("GET", path, null);
    }

    private Response send(String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
        try {
            c.setRequestMethod(method);
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            c.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json = text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
            return new Response(status, text, json);
        } finally {
            c.disconnect();
        }
    }
}
