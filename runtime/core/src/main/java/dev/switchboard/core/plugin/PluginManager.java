package dev.switchboard.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundles that came from the plugins folder. Installing writes the jar into the folder (atomically) and
 * waits for FileInstall to pick it up; removing deletes the file and waits for the uninstall.
 */
public final class PluginManager implements FrameworkListener {

    private final BundleContext context;
    private final Path pluginsDir;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PluginManager.class);
    /** How long a plugin present at start may take to become active before health stops waiting for it. */
    static final long SETTLE_MILLIS = 10_000;

    private final Map<Long, String> errors = new ConcurrentHashMap<>();
    private final java.util.Set<Long> warned = ConcurrentHashMap.newKeySet();
    private final UnreadableJars unreadable;
    private final java.util.concurrent.ScheduledExecutorService folderWatch;

    /**
     * @param context the core's bundle context
     * @param pluginsDir the hot-deploy folder
     */
    public PluginManager(BundleContext context, Path pluginsDir) {
        this.context = context;
        this.pluginsDir = pluginsDir.toAbsolutePath().normalize();
        context.addFrameworkListener(this);
        this.unreadable = new UnreadableJars(this.pluginsDir);
        // FileInstall is silent about jars it cannot read: this thread says why, as often as FileInstall looks.
        this.folderWatch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plugins-folder");
            t.setDaemon(true);
            return t;
        });
        long poll = pollMillis(context.getProperty("felix.fileinstall.poll"));
        folderWatch.scheduleWithFixedDelay(unreadable::scan, poll, poll, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static long pollMillis(String value) {
        try {
            return value == null ? 1000 : Math.max(100, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    /** Stops listening to framework events and watching the folder. */
    public void close() {
        context.removeFrameworkListener(this);
        folderWatch.shutdownNow();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null) {
            Throwable t = event.getThrowable();
            errors.put(event.getBundle().getBundleId(), t == null ? "error" : rootMessage(t));
        }
    }

    /** A plugin bundle as the API shows it. @param bundle the bundle @param file its jar in the plugins folder @param error why it is not active, or null */
    public record Plugin(Bundle bundle, Path file, String error) {

        /** @return the bundle's symbolic name */
        public String symbolicName() {
            return bundle.getSymbolicName();
        }

        /** @return the bundle's version */
        public String version() {
            return bundle.getVersion().toString();
        }

        /** @return the state name, e.g. {@code active}, {@code installed} (unresolved) */
        public String state() {
            return switch (bundle.getState()) {
                case Bundle.ACTIVE -> "active";
                case Bundle.RESOLVED -> "resolved";
                case Bundle.INSTALLED -> "installed";
                case Bundle.STARTING -> "starting";
                case Bundle.STOPPING -> "stopping";
                default -> "uninstalled";
            };
        }
    }

    /** @return the bundles installed from the plugins folder, by symbolic name */
    public List<Plugin> list() {
        List<Plugin> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            fileOf(b).ifPresent(f -> out.add(new Plugin(b, f, errorOf(b))));
        }
        out.sort(Comparator.comparing(p -> String.valueOf(p.symbolicName())));
        return out;
    }

    /**
     * @param symbolicName a bundle symbolic name
     * @return the plugin bundle with that name
     */
    public Optional<Plugin> find(String symbolicName) {
        return list().stream().filter(p -> symbolicName.equals(p.symbolicName())).findFirst();
    }

    /**
     * Whether every jar present at start-up has been processed: its bundle is active, or it failed.
     *
     * @param fileNames the jar names present at start-up
     * @return whether all are processed
     */
    public boolean processed(List<String> fileNames) {
        for (String name : fileNames) {
            Path file = pluginsDir.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            Optional<Bundle> bundle = bundleAt(file);
            if (bundle.isEmpty()) {
                // FileInstall ignores a jar it cannot read (half-copied, corrupt) until it changes: so does health.
                if (unreadable.unreadable(file)) {
                    continue;
                }
                return false;
            }
            Bundle b = bundle.get();
            // Passive checks only: resolving here would race FileInstall's own resolve, refresh and start.
            boolean done = b.getState() == Bundle.ACTIVE || errors.containsKey(b.getBundleId())
                    || gaveUpOn(b, name);
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /**
     * A bundle installed this long ago that is still not active (it cannot resolve, or its start failed without a
     * framework error) counts as processed, so one broken plugin cannot keep the gateway unhealthy; the operator
     * sees it in the log and in GET /api/plugins.
     */
    private boolean gaveUpOn(Bundle b, String fileName) {
        if (System.currentTimeMillis() - b.getLastModified() < SETTLE_MILLIS) {
            return false;
        }
        if (warned.add(b.getBundleId())) {
            LOG.warn("plugin {} ({}) is still {} {} s after it was installed; the gateway serves without it",
                    fileName, b.getSymbolicName(), new Plugin(b, null, null).state(), SETTLE_MILLIS / 1000);
        }
        return true;
    }

    /**
     * Puts a jar into the plugins folder: it replaces the jar of the plugin with the same symbolic name, if any.
     *
     * @param jar the uploaded jar, on disk
     * @return the symbolic name and version the jar declares
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException when the file is not a bundle
     */
    public String[] deploy(Path jar) throws IOException {
        String[] id = identify(jar);
        Path target = find(id[0]).map(Plugin::file).orElse(pluginsDir.resolve(id[0] + ".jar"));
        // Written under a name FileInstall ignores, then renamed: it never sees half a jar.
        Path tmp = pluginsDir.resolve("." + id[0] + ".upload");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /**
     * @param plugin a plugin
     * @return whether its jar was deleted (FileInstall then uninstalls the bundle)
     * @throws IOException when the file cannot be deleted
     */
    public boolean remove(Plugin plugin) throws IOException {
        return Files.deleteIfExists(plugin.file());
    }

    /**
     * @param jar a file
     * @return its symbolic name (without attributes) and version
     * @throws IOException when unreadable
     */
    public static String[] identify(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            Manifest m = j.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new IllegalArgumentException("the file is not an OSGi bundle (no Bundle-SymbolicName in its "
                        + "manifest); build plugins with bnd-maven-plugin as docs/plugin-guide.md shows");
            }
            String version = m.getMainAttributes().getValue("Bundle-Version");
            return new String[] {bsn.split(";")[0].trim(), version == null ? "0.0.0" : version.trim()};
        }
    }

    private Optional<Path> fileOf(Bundle b) {
        String location = b.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return p.getParent() != null && p.getParent().equals(pluginsDir) ? Optional.of(p) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<Bundle> bundleAt(Path file) {
        for (Bundle b : context.getBundles()) {
            if (fileOf(b).filter(file::equals).isPresent()) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private String errorOf(Bundle b) {
        // Before the framework's own message: that one names the filter but not what this runtime has.
        if (b.getState() == Bundle.INSTALLED && !resolvable(b)) {
            return UnresolvedReason.of(b, context);
        }
        String e = errors.get(b.getBundleId());
        if (e != null && b.getState() != Bundle.ACTIVE) {
            return e;
        }
        return null;
    }

    private boolean resolvable(Bundle b) {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        return wiring.resolveBundles(List.of(b));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
