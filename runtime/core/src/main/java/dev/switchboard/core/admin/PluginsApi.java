package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.plugin.PluginManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.osgi.framework.Bundle;

/**
 * {@code /api/plugins}: the plugin bundles, upload of a jar (multipart {@code file}) and removal. Both go
 * through the plugins folder and answer once FileInstall has acted, or after {@link #SETTLE_MILLIS} with the
 * state reached so far.
 */
public final class PluginsApi {

    static final long SETTLE_MILLIS = 15_000;
    private static final long MAX_JAR = 64L * 1024 * 1024;

    private final PluginManager plugins;
    private final AdapterRegistry adapters;
    private final Path spoolDir;

    /**
     * @param plugins the plugin bundles
     * @param adapters the installed channel types, to show what each plugin provides
     * @param spoolDir where uploads are spooled
     */
    public PluginsApi(PluginManager plugins, AdapterRegistry adapters, Path spoolDir) {
        this.plugins = plugins;
        this.adapters = adapters;
        this.spoolDir = spoolDir;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add("GET", "plugins", call -> ApiResult.ok(Pages.of(call, plugins.list(), this::view)))
                // A plugin runs code inside the gateway: only root installs or removes one.
                .add(Access.ROOT, "POST", "plugins", this::upload)
                .add(Access.ROOT, "DELETE", "plugins/{symbolic_name}", this::remove);
    }

    private ApiResult upload(ApiCall call) {
        String contentType = call.request().getHeaders().get(HttpHeader.CONTENT_TYPE);
        String boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
        if (boundary == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new BadInput(415, "unsupported_media_type", null,
                    "upload the jar as multipart/form-data with the field 'file', e.g. curl -F file=@plugin.jar");
        }
        Path jar = null;
        try {
            Files.createDirectories(spoolDir);
            MultiPartConfig config = new MultiPartConfig.Builder().location(spoolDir).maxParts(8)
                    .maxSize(MAX_JAR).maxPartSize(MAX_JAR).maxMemoryPartSize(0).build();
            try (MultiPartFormData.Parts parts = MultiPartFormData.from(call.request(), call.request(), contentType,
                    config).get(5, TimeUnit.MINUTES)) {
                MultiPart.Part file = parts.getFirst("file");
                if (file == null) {
                    throw new BadInput(400, "missing_field", "file", "the upload has no 'file' field");
                }
                jar = Files.createTempFile(spoolDir, "plugin", ".jar");
                file.writeTo(jar);
            }
            Optional<PluginManager.Plugin> before;
            String[] id;
            try {
                before = plugins.find(PluginManagerIds.name(jar));
                id = plugins.deploy(jar);
            } catch (IllegalArgumentException e) {
                throw new BadInput(400, "not_a_bundle", "file", e.getMessage());
            }
            PluginManager.Plugin after = awaitDeployed(id[0], id[1], before.map(p -> p.bundle().getLastModified()));
            return new ApiResult(before.isPresent() ? 200 : 201, after == null ? pending(id) : view(after));
        } catch (ExecutionException e) {
            throw new BadInput(400, "invalid_upload", "file", "the upload could not be read: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new BadInput(408, "upload_timeout", "file", "the upload took too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput(503, "interrupted", null, "interrupted");
        } catch (IOException e) {
            throw new BadInput(500, "internal_error", null, "the plugin could not be written: " + e.getMessage());
        } finally {
            if (jar != null) {
                try {
                    Files.deleteIfExists(jar);
                } catch (IOException ignored) {
                    // A stray temporary file in the cache folder; removed with the cache.
                }
            }
        }
    }

    private PluginManager.Plugin awaitDeployed(String bsn, String version, Optional<Long> previousModified)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<PluginManager.Plugin> p = plugins.find(bsn);
            if (p.isPresent() && p.get().version().equals(org.osgi.framework.Version.parseVersion(version).toString())
                    && previousModified.map(m -> p.get().bundle().getLastModified() > m).orElse(true)) {
                Bundle b = p.get().bundle();
                if (p.get().error() != null || b.getState() == Bundle.ACTIVE && servicesUp(b)) {
                    return p.get();
                }
            }
            Thread.sleep(100);
        }
        return plugins.find(bsn).orElse(null);
    }

    /**
     * Declarative Services registers a started bundle's components a moment after it is active, on its own
     * thread: the answer waits for them, so it lists the channel types the plugin brings.
     */
    private static boolean servicesUp(Bundle b) {
        if (b.getHeaders().get("Service-Component") == null) {
            return true;
        }
        org.osgi.framework.ServiceReference<?>[] registered = b.getRegisteredServices();
        return registered != null && registered.length > 0;
    }

    private ApiResult remove(ApiCall call) {
        String bsn = call.param("symbolic_name");
        PluginManager.Plugin p = plugins.find(bsn).orElseThrow(() -> new BadInput(404, "not_found", null,
                "no plugin '" + bsn + "' in the plugins folder (system bundles cannot be removed)"));
        try {
            plugins.remove(p);
            long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
            while (plugins.find(bsn).isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new BadInput(500, "internal_error", null, "the plugin jar could not be deleted: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ApiResult.noContent();
    }

    private ObjectNode view(PluginManager.Plugin p) {
        ObjectNode o = Json.object();
        o.put("symbolic_name", p.symbolicName());
        o.put("version", p.version());
        o.put("state", p.state());
        o.set("channel_types", Json.MAPPER.valueToTree(adapters.typesOf(p.bundle().getBundleId())));
        // Types this plugin also provides but another plugin serves (higher service.ranking, or first there).
        ArrayNode shadowed = o.putArray("shadowed");
        for (AdapterRegistry.Shadowed s : adapters.shadowedOf(p.bundle().getBundleId())) {
            ObjectNode by = shadowed.addObject().put("channel_type", s.adapter().typeId()).putObject("by");
            by.put("symbolic_name", s.by().bundleName());
            by.put("version", s.by().bundleVersion());
        }
        o.put("file", p.file().getFileName().toString());
        o.put("error", p.error());
        return o;
    }

    private static ObjectNode pending(String[] id) {
        ObjectNode o = Json.object();
        o.put("symbolic_name", id[0]);
        o.put("version", id[1]);
        o.put("state", "pending");
        o.set("channel_types", Json.MAPPER.createArrayNode());
        o.set("shadowed", Json.MAPPER.createArrayNode());
        o.putNull("error");
        return o;
    }

    /** Reads a jar's symbolic name before it is deployed. */
    private static final class PluginManagerIds {
        static String name(Path jar) throws IOException {
            try {
                return PluginManager.identify(jar)[0];
            } catch (IllegalArgumentException e) {
                throw new BadInput(400, "not_a_bundle", "file", e.getMessage());
            }
        }
    }
}
