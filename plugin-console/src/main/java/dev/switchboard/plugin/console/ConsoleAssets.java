package dev.switchboard.plugin.console;

import dev.switchboard.api.web.WebAsset;
import dev.switchboard.api.web.WebAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The console's files, read from the bundle's {@code console/} folder once at activation (a few hundred KiB) and
 * tagged by content, so the core can answer revalidations with 304.
 */
@Component(service = WebAssets.class)
public final class ConsoleAssets implements WebAssets {

    /** The folder of the jar holding the site. */
    static final String ROOT = "console/";

    private final Map<String, WebAsset> files;

    /** @param context this bundle's context, to read its entries */
    @Activate
    public ConsoleAssets(BundleContext context) {
        this(read(context.getBundle().findEntries(ROOT, "*", true)));
    }

    /** @param files path within the site (e.g. {@code js/app.js}) to its asset */
    ConsoleAssets(Map<String, WebAsset> files) {
        this.files = Map.copyOf(files);
    }

    @Override
    public String site() {
        return CONSOLE;
    }

    @Override
    public Optional<WebAsset> find(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private static Map<String, WebAsset> read(Enumeration<URL> entries) {
        Map<String, WebAsset> out = new HashMap<>();
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String path = url.getPath();
            int at = path.indexOf(ROOT);
            if (path.endsWith("/") || at < 0) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                String relative = path.substring(at + ROOT.length());
                out.put(relative, Assets.of(relative, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the console file " + path, e);
            }
        }
        return out;
    }
}
