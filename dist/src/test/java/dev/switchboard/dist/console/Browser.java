package dev.switchboard.dist.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver: one per test class. Screenshots of
 * the whole page go to {@code -Dswitchboard.screenshots} (dist/target/screenshots).
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int LAPTOP = 1280;
    static final int PHONE = 390;

    final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path shots;

    private Browser(ChromeDriver driver, Path shots) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
        this.shots = shots;
    }

    /** Starts Chromium, or fails saying what to install: these tests are never skipped silently. */
    static Browser start(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's browser tests need Debian's Chromium and its driver at "
                    + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Root in a container: no sandbox. The network is closed: no background calls home, which would stall.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + LAPTOP + ",900",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        String dir = System.getProperty("switchboard.screenshots", "target/screenshots");
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Browser(new ChromeDriver(service, options), Path.of(dir));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until an element shows the text. */
    WebElement awaitText(String css, String text) {
        wait.withMessage(() -> "no '" + text + "' in " + css + "; the page says: " + bodyText())
                .until(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text)));
        return driver.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().contains(text)).findFirst()
                .orElseThrow();
    }

    void awaitGone(String css) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Goes to a page of the console by its navigation link and waits for it to finish loading. */
    void page(String name) {
        click("nav a[data-page='" + name + "']");
        find("main[data-page='" + name + "']");
        awaitIdle();
    }

    /** Waits until no loading placeholder is left. */
    void awaitIdle() {
        wait.until(d -> d.findElements(By.cssSelector(".loading")).isEmpty());
    }

    String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Resizes the viewport (not the window) to a width, as a phone or laptop would show the page. */
    void width(int width) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height",
                width == PHONE ? 844 : 900, "deviceScaleFactor", 1, "mobile", width == PHONE));
        wait.until(d -> ((Number) script("return window.innerWidth")).intValue() == width);
    }

    /** @return how far the page is wider than the viewport, in CSS pixels (0 when it does not scroll sideways) */
    int horizontalOverflow() {
        return ((Number) script("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                + " - document.documentElement.clientWidth")).intValue();
    }

    /** Saves a screenshot of the whole page as {@code <name>-<width>.png}. */
    Path screenshot(String name, int width) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double height = Math.min(6000, ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height,
                        "scale", 1)));
        Path file = shots.resolve(name + "-" + width + ".png");
        try {
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Accepts the open confirmation dialog. */
    void confirm() {
        click("dialog [data-confirm='yes']");
        awaitGone("dialog");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
