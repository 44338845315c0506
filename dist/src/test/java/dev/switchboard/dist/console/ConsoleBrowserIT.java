package dev.switchboard.dist.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import dev.switchboard.testkit.FakeUpstream;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in real headless Chromium against the started distribution, with a fake OpenAI upstream: one
 * gateway and one browser for the class, used as an operator would, in order (log in, add a channel, price its
 * model, hand out a token, read the logs and the dashboard, install a plugin, look at every page on a laptop and
 * a phone, log in as a plain user, remove the console).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String ADMIN = "e2e-console-admin-token";
    private static final String ROOT_PASSWORD = "e2e-console-root-password";
    private static final String MODEL = "e2e-model";
    private static final String ANSWER = "Hello from the fake upstream";
    private static final int CALLS = 3;
    private static final String[] PAGES = {"dashboard", "channels", "tokens", "users", "logs", "prices", "plugins",
        "settings"};

    @TempDir
    static Path tmp;

    private FakeUpstream upstream;
    private Distribution dist;
    private Distribution.Instance sb;
    private Browser browser;
    private String base;
    private long channelId;

    @BeforeAll
    void start() throws IOException {
        upstream = FakeUpstream.start();
        upstream.on("/v1/chat/completions", Reply.json("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                + "\"created\":1,\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"" + ANSWER + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}}"));
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", ADMIN)
                .env("SWITCHBOARD_ROOT_PASSWORD", ROOT_PASSWORD);
        sb = dist.start().awaitHealthy();
        base = sb.baseUrl();
        browser = Browser.start(tmp.resolve("chromium-profile"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (dist != null) {
            dist.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Order(1)
    void loginShowsItsErrorsAndRespectsTheRateLimit() {
        browser.open(base);
        browser.find("#username");
        for (int width : new int[] {Browser.LAPTOP, Browser.PHONE}) {
            browser.width(width);
            browser.screenshot("login", width);
            assertEquals(0, browser.horizontalOverflow(), "the login page scrolls sideways at " + width);
        }
        browser.width(Browser.LAPTOP);
        login("root", "not-the-password");
        browser.awaitText("[data-error-for='login']", "wrong user name or password");
        // login.max_failures_per_user is 5: the sixth attempt for one name is refused before any password check.
        for (int i = 0; i < 5; i++) {
            login("ghost", "guess-" + i);
            browser.awaitText("[data-error-for='login']", i < 4 ? "wrong user name or password" : "");
        }
        login("ghost", "guess-6");
        browser.awaitText("[data-error-for='login']", "too many failed logins");

        login("root", ROOT_PASSWORD);
        browser.find("main[data-page='dashboard']");
        assertTrue(browser.find("#who").getText().contains("root"));
    }

    @Test
    @Order(2)
    void anAdminCreatesAChannelWithTheTypesFormAndTestsIt() {
        browser.page("channels");
        browser.click("#new-channel");
        new Select(browser.find("#channel-form select[name='type']")).selectByValue("openai");
        assertTrue(browser.find("#key-hint").getText().startsWith("Key format:"), "the type's key format is shown");
        browser.click("#fill-default-models");
        JsonNode openai = type("openai");
        String filled = browser.find("#channel-form textarea[name='models']").getAttribute("value");
        openai.path("default_models").forEach(m -> assertTrue(filled.contains(m.asText()), filled));

        browser.click("#save-channel");
        browser.awaitText("[data-error-for='name']", "name");

        browser.type("#channel-form input[name='name']", "fake openai");
        browser.type("#channel-form input[name='key']", "sk-fake-upstream-key-123456");
        browser.type("#channel-form input[name='base_url']", upstream.baseUrl() + "/v1");
        browser.type("#channel-form textarea[name='models']", MODEL);
        browser.type("#channel-form input[name='priority']", "5");
        browser.click("#save-channel");
        browser.awaitGone("dialog");
        browser.awaitIdle();
        WebElement row = row("#channels-table", "fake openai");
        assertTrue(row.getText().contains("enabled") && row.getText().contains(MODEL), row.getText());
        channelId = Long.parseLong(row.getAttribute("data-id"));
        JsonNode stored = sb.get("/api/channels/" + channelId, ADMIN).json();
        assertEquals(5, stored.path("priority").asInt());
        assertFalse(stored.toString().contains("sk-fake-upstream-key-123456"), "the key is write-only");

        row.findElement(By.cssSelector("[data-action='test']")).click();
        new Select(browser.find("#test-model")).selectByValue(MODEL);
        browser.click("#run-test");
        WebElement result = browser.awaitText("#test-result", "OK in");
        assertTrue(result.getText().contains(ANSWER), result.getText());
        assertTrue(result.getText().matches("(?s)OK in [0-9,]+ ms.*"), result.getText());
        browser.screenshot("channel-test", Browser.LAPTOP);
        browser.click("dialog button.secondary");
        browser.awaitGone("dialog");
    }

    @Test
    @Order(3)
    void anAdminPricesTheModel() {
        browser.page("prices");
        browser.click("#new-price");
        browser.type("#price-form input[name='model']", MODEL);
        browser.type("#price-form input[name='input_per_mtok']", "1");
        browser.type("#price-form input[name='output_per_mtok']", "2");
        browser.click("#save-price");
        browser.awaitGone("dialog");
        browser.awaitIdle();
        WebElement row = row("#prices-table", MODEL);
        assertTrue(row.getText().contains("$1.00") && row.getText().contains("$2.00"), row.getText());
        JsonNode price = sb.get("/api/prices/" + MODEL, ADMIN).json();
        assertEquals(1_000_000, price.path("input_per_mtok").asLong());
        assertEquals(2_000_000, price.path("output_per_mtok").asLong());
    }

    @Test
    @Order(4)
    void aTokenCreatedInTheConsoleServesRealCalls() {
        browser.page("tokens");
        browser.click("#new-token");
        browser.type("#token-form input[name='name']", "browser token");
        browser.click("#save-token");
        browser.awaitGone("dialog");
        String key = browser.find("#new-token-key").getText();
        assertTrue(key.startsWith("sk-"), key);
        browser.click("#copy-key");
        browser.awaitIdle();
        WebElement row = row("#tokens-table", "browser token");
        assertFalse(row.getText().contains(key), "the list shows the key masked");

        for (int i = 0; i < CALLS; i++) {
            Distribution.Answer a = sb.post("/v1/chat/completions", key, Map.of("model", MODEL, "messages",
                    List.of(Map.of("role", "user", "content", "hi " + i))));
            assertEquals(200, a.status(), a.toString());
            assertEquals(ANSWER, a.json().path("choices").path(0).path("message").path("content").asText());
        }
        awaitLogged("type=relay", CALLS);
    }

    @Test
    @Order(5)
    void theRequestsShowInTheLogsWithTheirAttempts() {
        browser.page("logs");
        List<WebElement> rows = browser.all("#logs-table tbody tr");
        assertEquals(CALLS, rows.size(), browser.bodyText());
        for (WebElement r : rows) {
            assertTrue(r.getText().contains(MODEL) && r.getText().contains("200")
                    && r.getText().contains("browser token") && r.getText().contains("$0.00005"), r.getText());
        }
        rows.get(0).click();
        WebElement detail = browser.find("#log-detail");
        assertTrue(detail.getText().contains("10 prompt + 20 completion"), detail.getText());
        WebElement attempt = browser.find("#attempts-table tbody tr");
        assertTrue(attempt.getText().contains("#" + channelId) && attempt.getText().contains("200"),
                attempt.getText());
        browser.screenshot("log-detail", Browser.LAPTOP);
        browser.click("dialog .buttons button");
        browser.awaitGone("dialog");

        new Select(browser.find("#log-status")).selectByValue("error");
        browser.awaitText("#log-list", "No log entries match.");
    }

    @Test
    @Order(6)
    void theDashboardCountsTheRequestsAndChartsThem() {
        browser.page("dashboard");
        assertEquals(String.valueOf(CALLS), browser.find("#total-requests").getText());
        assertEquals(String.valueOf(CALLS * 30), browser.find("#total-tokens").getText());
        assertEquals("$0.00015", browser.find("#total-cost").getText(), "3 x (10 x $1 + 20 x $2) per 1M tokens");
        assertEquals("0.0 %", browser.find("#error-rate").getText());
        assertFalse(browser.all("#chart canvas").isEmpty(), "the chart is drawn");
        assertEquals(CALLS, charted(), "the chart's hours hold the requests made");
        WebElement top = row("#top-models", MODEL);
        assertTrue(top.getText().contains(String.valueOf(CALLS)), top.getText());
        assertTrue(row("#top-channels", "fake openai").getText().contains(String.valueOf(CALLS)));
        assertTrue(row("#top-tokens", "browser token").getText().contains(String.valueOf(CALLS)));

        new Select(browser.find("#metric")).selectByValue("tokens");
        assertEquals(CALLS * 30, charted(), "the tokens chart holds the tokens used");
    }

    @Test
    @Order(7)
    void rootUploadsPluginsAndSeesErrorsAndChannelTypes() throws IOException {
        browser.page("plugins");
        Path notAJar = tmp.resolve("not-a-plugin.jar");
        Files.writeString(notAJar, "just text");
        upload(notAJar);
        browser.awaitText("[data-error-for='upload']", "not an OSGi bundle");

        upload(needingApi2(tmp.resolve("needs-api-2.jar")));
        browser.awaitText("[data-error-for='upload']", "[2.0.0,3.0.0)");

        upload(Path.of(System.getProperty("switchboard.template.jar")));
        WebElement result = browser.awaitText("#upload-result", "acme");
        assertTrue(result.getText().contains("channel types: acme"), result.getText());
        browser.awaitIdle();
        assertTrue(row("#plugins-table", "com.example.switchboard.acme").getText().contains("acme"));

        // A plugin runs code in the gateway: an admin who is not root may not install or remove one.
        long bob = sb.post("/api/users", ADMIN, Map.of("username", "bob", "password", "bob-password-1", "role",
                "admin")).json().path("id").asLong();
        String bobToken = sb.post("/api/users/" + bob + "/access-token", ADMIN, Map.of()).json().path("access_token")
                .asText();
        assertEquals(403, sb.post("/api/plugins", bobToken, Map.of()).status());
        assertEquals(403, sb.delete("/api/plugins/com.example.switchboard.acme", bobToken).status());
        assertEquals(200, sb.get("/api/plugins", bobToken).status(), "an admin still reads the list");

        browser.page("channels");
        browser.click("#new-channel");
        List<String> types = new Select(browser.find("#channel-form select[name='type']")).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList();
        assertTrue(types.contains("acme"), "the new channel type is offered: " + types);
        browser.click("dialog .buttons button.secondary");
        browser.awaitGone("dialog");
    }

    @Test
    @Order(8)
    void settingsAreSavedThroughTheApi() {
        browser.page("settings");
        browser.type("#settings-form input[name='logs.retention_days']", "45");
        browser.click("#save-settings");
        browser.awaitText("#settings-saved", "Saved.");
        assertEquals(45, sb.get("/api/settings", ADMIN).json().path("logs.retention_days").asInt());
        browser.type("#settings-form input[name='quota.default_max_tokens']", "-3");
        browser.click("#save-settings");
        browser.awaitText("[data-error-for='quota.default_max_tokens'], [data-error-for='form']", "default_max_tokens");
    }

    @Test
    @Order(9)
    void everyPageFitsALaptopAndAPhone() {
        browser.open(base + "#/dashboard");
        for (String page : PAGES) {
            shootBothWidths(page, "");
        }
        browser.width(Browser.PHONE);
        browser.page("channels");
        browser.click("#new-channel");
        browser.find("#channel-form");
        browser.screenshot("channel-form", Browser.PHONE);
        assertEquals(0, browser.horizontalOverflow(), "the channel form scrolls sideways on a phone");
        browser.click("dialog .buttons button.secondary");
        browser.width(Browser.LAPTOP);
    }

    @Test
    @Order(10)
    void aPlainUserSeesOnlyTheirOwnData() {
        browser.page("users");
        browser.click("#new-user");
        browser.type("#user-form input[name='username']", "alice");
        browser.type("#user-form input[name='password']", "alice-password-1");
        browser.type("#user-form input[name='quota']", "5");
        browser.click("#save-user");
        browser.awaitGone("dialog");
        browser.awaitIdle();
        WebElement alice = row("#users-table", "alice");
        assertTrue(alice.getText().contains("$5.00") && alice.getText().contains("user"), alice.getText());
        long aliceId = Long.parseLong(alice.getAttribute("data-id"));
        browser.page("tokens");
        browser.click("#new-token");
        browser.type("#token-form input[name='name']", "alice token");
        browser.type("#token-form input[name='user_id']", String.valueOf(aliceId));
        browser.click("#save-token");
        browser.awaitGone("dialog");
        String key = browser.find("#new-token-key").getText();
        browser.awaitIdle();
        assertTrue(row("#tokens-table", "alice token").getText().contains("#" + aliceId), "owned by alice");
        assertEquals(200, sb.post("/v1/chat/completions", key, Map.of("model", MODEL, "messages",
                List.of(Map.of("role", "user", "content", "hi from alice")))).status());
        awaitLogged("type=relay", CALLS + 1);

        browser.click("#logout");
        browser.awaitText("#login-notice", "logged out");
        login("alice", "alice-password-1");
        browser.find("main[data-page='dashboard']");
        List<String> nav = browser.all("nav a").stream().map(a -> a.getAttribute("data-page")).toList();
        assertEquals(List.of("dashboard", "tokens", "logs"), nav);
        browser.awaitIdle();
        assertEquals("1", browser.find("#total-requests").getText(), "alice's own requests only");
        assertTrue(browser.all("#top-channels").isEmpty(), "no channel statistics for a user");

        browser.page("tokens");
        List<WebElement> tokens = browser.all("#tokens-table tbody tr");
        assertEquals(1, tokens.size(), browser.bodyText());
        assertTrue(tokens.get(0).getText().contains("alice token"));

        browser.page("logs");
        List<WebElement> logs = browser.all("#logs-table tbody tr");
        assertEquals(1, logs.size(), browser.bodyText());
        assertTrue(logs.get(0).getText().contains("alice token"));

        browser.open(base + "#/channels");
        browser.find("main[data-page='dashboard']");
        for (String page : new String[] {"dashboard", "tokens", "logs"}) {
            shootBothWidths(page, "user-");
        }
        browser.click("#logout");
        browser.find("#username");
        login("root", ROOT_PASSWORD);
        browser.find("main[data-page='dashboard']");
    }

    @Test
    @Order(11)
    void withoutTheConsoleJarTheRootIs404AndTheApiStillAnswers() throws IOException {
        Path jar;
        try (Stream<Path> plugins = Files.list(dist.home().resolve("plugins"))) {
            jar = plugins.filter(p -> p.getFileName().toString().startsWith("switchboard-plugin-console"))
                    .findFirst().orElseThrow(() -> new AssertionError("the distribution ships no console jar"));
        }
        assertEquals(200, sb.get("/", null).status());
        Files.delete(jar);
        assertTrue(Distribution.poll(Duration.ofSeconds(15), () -> sb.get("/", null).status() == 404).isPresent(),
                "/ still answers " + sb.get("/", null));
        Distribution.Answer root = sb.get("/", null);
        assertEquals("console_not_installed", root.json().path("error").path("code").asText());
        assertEquals(200, sb.get("/api/channels", ADMIN).status());
        assertEquals(200, sb.get("/health", null).status());
        browser.open(base);
        browser.awaitText("body", "console_not_installed");
    }

    /** @return the sum of the chart's data table (the numbers the chart draws) */
    private long charted() {
        browser.script("document.querySelector('#chart-data').closest('details').open = true");
        long sum = 0;
        for (WebElement cell : browser.all("#chart-data tbody td:nth-child(2)")) {
            sum += Long.parseLong(cell.getText().replace(",", ""));
        }
        return sum;
    }

    private void login(String user, String password) {
        browser.type("#username", user);
        browser.type("#password", password);
        browser.click("#login");
    }

    private void upload(Path jar) {
        try {
            // chromedriver takes only canonical paths
            browser.find("#plugin-file").sendKeys(jar.toRealPath().toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        browser.click("#upload-plugin");
        browser.awaitIdle();
    }

    private void shootBothWidths(String page, String prefix) {
        for (int width : new int[] {Browser.LAPTOP, Browser.PHONE}) {
            browser.width(width);
            browser.page(page);
            browser.screenshot(prefix + page, width);
            assertEquals(0, browser.horizontalOverflow(), page + " scrolls sideways at " + width + " px");
        }
        browser.width(Browser.LAPTOP);
    }

    /** The table row that contains a text. */
    private WebElement row(String table, String text) {
        browser.awaitText(table + " tbody tr", text);
        return browser.all(table + " tbody tr").stream().filter(r -> r.getText().contains(text)).findFirst()
                .orElseThrow();
    }

    private JsonNode type(String id) {
        for (JsonNode t : sb.get("/api/channel-types", ADMIN).json().path("data")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no channel type " + id);
    }

    private void awaitLogged(String query, int count) {
        assertTrue(Distribution.poll(Duration.ofSeconds(10), () -> sb.get("/api/logs?" + query, ADMIN).json()
                .path("total").asInt() == count).isPresent(), "the log never held " + count + " entries: "
                + sb.get("/api/logs?" + query, ADMIN));
    }

    /** The template plugin as if built against a future api 2.x, under another name. */
    private static Path needingApi2(Path target) throws IOException {
        try (JarFile source = new JarFile(System.getProperty("switchboard.template.jar"))) {
            Manifest m = new Manifest(source.getManifest());
            Attributes a = m.getMainAttributes();
            a.putValue("Bundle-SymbolicName", "com.example.switchboard.future");
            a.putValue("Import-Package", a.getValue("Import-Package").replaceAll(
                    "dev\\.switchboard\\.api\\.provider;version=\"\\[1\\.0,2\\)\"",
                    "dev.switchboard.api.provider;version=\"[2.0,3)\""));
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, m)) {
                List<JarEntry> entries = new ArrayList<>(source.stream().toList());
                for (JarEntry e : entries) {
                    if (e.getName().equals("META-INF/MANIFEST.MF") || e.isDirectory()) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(e.getName()));
                    try (var in = source.getInputStream(e)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
        }
        return target;
    }
}
