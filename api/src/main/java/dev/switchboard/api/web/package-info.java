/**
 * Static web content a bundle offers the core to serve over HTTP: the admin console is the first user.
 *
 * <p>A bundle registers a {@link dev.switchboard.api.web.WebAssets} service (usually a Declarative Services
 * component) naming the site it provides. While the service is registered the core serves its files: the site
 * {@value dev.switchboard.api.web.WebAssets#CONSOLE} at {@code /} and {@code /console/}. When two services
 * name the same site, the higher {@code service.ranking} wins, then the newer service. The core owns HTTP:
 * content types and tags come from the assets, while caching headers, the Content-Security-Policy and path
 * checks are the core's. No HTTP server type appears here, so a site compiles against this package alone.
 *
 * <p>Version 1.0.0 is this package's first release, added next to {@code dev.switchboard.api.provider} 1.0.0,
 * which is unchanged. Adding a package is a minor change for the api bundle: the baseline check (against the
 * released api 1.0.0) reports it as added at 1.0.0 and asks for no other package to move; the bundle's own
 * version follows the project's.
 */
@Version("1.0.0")
@Export
package dev.switchboard.api.web;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
