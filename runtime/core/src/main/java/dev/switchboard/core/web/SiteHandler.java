package dev.switchboard.core.web;

import dev.switchboard.api.web.WebAsset;
import dev.switchboard.api.web.WebAssets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the console site at {@code /} and {@code /console/} while a bundle registers it, and hands everything
 * to the fallback (404 "console not installed") while none does. A path without a file extension that names no
 * file is a route of the single-page app and gets {@code index.html}. Every file is revalidated by its ETag
 * ({@code no-cache}), so an updated plugin is seen at the next load; the Content-Security-Policy allows only this
 * origin's scripts, styles and API calls (no inline script, no CDN).
 */
public final class SiteHandler extends Handler.Abstract.NonBlocking {

    /** Scripts, styles, images and API calls from this origin only; no plugins, frames or foreign forms. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final String INDEX = "index.html";

    private final Sites sites;
    private final Handler fallback;

    /** @param sites the registered sites @param fallback answers while no console is registered */
    public SiteHandler(Sites sites, Handler fallback) {
        this.sites = sites;
        this.fallback = fallback;
        installBean(fallback);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        fallback.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<WebAssets> console = sites.site(WebAssets.CONSOLE);
        if (console.isEmpty()) {
            return fallback.handle(request, response, callback);
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return SitePaths.reject(response, callback, 405, "method_not_allowed",
                    "the console answers GET and HEAD only");
        }
        String path = request.getHttpURI().getDecodedPath();
        if (path.equals("/console")) {
            Response.sendRedirect(request, response, callback, "/console/");
            return true;
        }
        String relative = SitePaths.relative(path);
        if (relative == null) {
            return SitePaths.reject(response, callback, 404, "unknown_url", "no such file: " + path);
        }
        Optional<WebAsset> asset = find(console.get(), relative.isEmpty() ? INDEX : relative);
        if (asset.isEmpty() && SitePaths.isAppRoute(relative)) {
            asset = find(console.get(), INDEX);
        }
        if (asset.isEmpty()) {
            return SitePaths.reject(response, callback, 404, "unknown_url", "no such file: " + path);
        }
        send(request, response, callback, asset.get(), method.equals("HEAD"));
        return true;
    }

    private static Optional<WebAsset> find(WebAssets site, String path) {
        Optional<WebAsset> found = site.find(path);
        return found == null ? Optional.empty() : found;
    }

    private static void send(Request request, Response response, Callback callback, WebAsset asset, boolean head) {
        var headers = response.getHeaders();
        String etag = "\"" + asset.etag() + "\"";
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            response.write(true, null, callback);
            return;
        }
        response.setStatus(HttpStatus.OK_200);
        headers.put(HttpHeader.CONTENT_TYPE, asset.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, asset.length());
        response.write(true, head ? null : asset.content(), callback);
    }
}
