package dev.switchboard.launcher;

import dev.switchboard.config.Settings;
import dev.switchboard.launcher.spi.RuntimeControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * One run of the gateway: Felix with the bundles of {@code system/} and FileInstall on {@code plugins/}.
 *
 * <p>Start levels order the stop: libraries and framework services at 1, hot-deployed plugins at 2, bundles
 * that declare {@code Switchboard-Start-Level: 3} (the core) at 3. Stopping goes down the levels, so the core
 * drains in-flight requests while the plugins serving them are still active.
 */
final class GatewayRuntime implements RuntimeControl {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);
    static final String START_LEVEL_HEADER = "Switchboard-Start-Level";
    private static final int PLUGIN_START_LEVEL = 2;
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";
    private static final int BEGINNING_START_LEVEL = 3;

    private final Settings settings;
    private final AtomicInteger exitStatus = new AtomicInteger(0);
    private final List<String> startupPlugins;
    private volatile Felix felix;
    /** Set by a signal; the stop itself waits until the framework has started (see run). */
    private volatile boolean stopAsked;
    private volatile boolean started;
    private final AtomicBoolean stopping = new AtomicBoolean();

    GatewayRuntime(Settings settings) {
        this.settings = settings;
        this.startupPlugins = listJars(settings.pluginsDir()).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Runs until stopped; returns the process exit status. */
    int run() {
        settings.warnings().forEach(LOG::warn);
        // First: a SIGTERM while the framework is being set up is kept and acted on once it has started.
        onSignal("TERM");
        onSignal("INT");
        try {
            Files.createDirectories(settings.dataDir());
            Files.createDirectories(settings.pluginsDir());
            felix = new Felix(frameworkProperties());
            felix.init();
            BundleContext system = felix.getBundleContext();
            system.registerService(Settings.class, settings, null);
            system.registerService(RuntimeControl.class, this, null);
            installSystemBundles(system);
            felix.start();
        } catch (BundleException | IOException | RuntimeException e) {
            System.err.println("switchboard: cannot start: " + e.getMessage());
            stopQuietly();
            return 1;
        }
        started = true;
        if (stopAsked) {
            stopQuietly();
        }
        try {
            FrameworkEvent event;
            do {
                event = felix.waitForStop(0);
            } while (event.getType() == FrameworkEvent.STOPPED_UPDATE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (exitStatus.get() == 0) {
            ClassArchive.writeIfAsked();
        }
        return exitStatus.get();
    }

    @Override
    public void fatal(String message) {
        System.err.println("switchboard: " + message);
        exitStatus.set(1);
        stopQuietly();
    }

    @Override
    public List<String> startupPlugins() {
        return startupPlugins;
    }

    private void onSignal(String name) {
        Signal.handle(new Signal(name), sig -> {
            LOG.info("SIG{} received: draining in-flight requests (up to {} ms) and stopping", name,
                    settings.get(Settings.SHUTDOWN_GRACE).toMillis());
            stopAsked = true;
            if (started) {
                stopQuietly();
            }
        });
    }

    private void stopQuietly() {
        Felix f = felix;
        if (f == null || !stopping.compareAndSet(false, true)) {
            return;
        }
        stopPluginLoader(f);
        try {
            f.stop();
        } catch (BundleException e) {
            LOG.error("stopping the framework failed: {}", e.getMessage());
        }
    }

    /**
     * FileInstall stops first. Its stop waits for the pass in progress (installing, refreshing, starting plugins)
     * and no plugin starts after it, so the framework never meets a plugin half-started on its way down (it cannot
     * stop a starting bundle, and logs an error for it), and a jar dropped in during the drain is only loaded at the
     * next start. A plain (persistent) stop: if the framework has not started FileInstall yet, it never will.
     */
    private static void stopPluginLoader(Felix f) {
        BundleContext context = f.getBundleContext();
        if (context == null) {
            return; // the framework never initialised (a start that failed early)
        }
        try {
            for (Bundle b : context.getBundles()) {
                if (FILE_INSTALL.equals(b.getSymbolicName())) {
                    b.stop();
                }
            }
        } catch (BundleException | IllegalStateException e) {
            // The framework is stopping already, or FileInstall is: the framework's stop goes on regardless.
            LOG.warn("stopping the plugin loader first failed: {}", e.getMessage());
        }
    }

    private Map<String, Object> frameworkProperties() throws IOException {
        Properties versions = new Properties();
        try (InputStream in = GatewayRuntime.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        }
        String slf4j = versions.getProperty("slf4j");
        Path cache = settings.dataDir().resolve("cache");
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.resolve("felix").toString());
        // Installed bundles are re-read from system/ and plugins/ at every start; never trust a stale cache.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(BEGINNING_START_LEVEL));
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",",
                "org.slf4j;version=" + slf4j,
                "org.slf4j.spi;version=" + slf4j,
                "org.slf4j.event;version=" + slf4j,
                "org.slf4j.helpers;version=" + slf4j,
                // As slf4j-api 2 itself does: libraries built against 1.x (HikariCP imports [1.6,2)) wire to it.
                "org.slf4j;version=1.7.36",
                "org.slf4j.helpers;version=1.7.36",
                "dev.switchboard.config;version=1.0.0",
                "dev.switchboard.launcher.spi;version=1.0.0"));
        p.put("felix.log.level", "1");
        p.put("felix.fileinstall.dir", settings.pluginsDir().toString());
        p.put("felix.fileinstall.poll", Long.toString(settings.get(Settings.PLUGINS_POLL).toMillis()));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.filter", ".*\\.jar");
        p.put("felix.fileinstall.start.level", Integer.toString(PLUGIN_START_LEVEL));
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.tmpdir", cache.resolve("fileinstall").toString());
        p.put("felix.fileinstall.log.level", "2");
        return p;
    }

    private void installSystemBundles(BundleContext system) throws BundleException {
        List<Bundle> toStart = new ArrayList<>();
        Path systemDir = settings.home().resolve("system");
        List<Path> jars = listJars(systemDir);
        if (jars.isEmpty()) {
            throw new IllegalStateException("no bundles in " + systemDir + "; is this a Switchboard installation?");
        }
        for (Path jar : jars) {
            // By reference: Felix reads the jar where it is instead of copying it (30 MB) into its cache at
            // every start.
            Bundle b = system.installBundle("reference:" + jar.toUri());
            b.adapt(BundleStartLevel.class).setStartLevel(startLevel(jar));
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                toStart.add(b);
            }
        }
        for (Bundle b : toStart) {
            // Started when the framework reaches the bundle's level; a bundle that cannot resolve is reported
            // by the framework and does not stop the others.
            b.start(Bundle.START_ACTIVATION_POLICY);
        }
    }

    private static int startLevel(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String level = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue(START_LEVEL_HEADER);
            return level == null ? 1 : Integer.parseInt(level.trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static List<Path> listJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
