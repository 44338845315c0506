package dev.switchboard.api.web;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named set of static files, looked up by path. Registered as a service, it is served by the core over HTTP
 * while the service is registered.
 *
 * <p>Implementations must be thread-safe: the core looks assets up from many request threads at once.
 */
@ConsumerType
public interface WebAssets {

    /** The name of the admin console site, served at {@code /} and {@code /console/}. */
    String CONSOLE = "console";

    /**
     * @return the site these files make up, e.g. {@value #CONSOLE}
     */
    String site();

    /**
     * Looks a file up.
     *
     * @param path a relative path with {@code /} separators and no leading slash, e.g. {@code index.html} or
     *     {@code js/app.js}; the core never passes {@code ..} segments, empty segments or backslashes
     * @return the file, or empty when the site has none at that path
     */
    Optional<WebAsset> find(String path);
}
