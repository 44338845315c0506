package dev.switchboard.core.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Socks5Proxy;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The pooled, keep-alive HTTP clients upstream calls share: one without proxy, one per distinct channel proxy
 * (Jetty's proxy configuration is per client). Created lazily, stopped with the gateway.
 */
public final class HttpClients extends ContainerLifeCycle {

    private final Duration connectTimeout;
    private final HttpClient direct;
    private final Map<String, HttpClient> byProxy = new ConcurrentHashMap<>();

    /** @param connectTimeout the connect timeout for every upstream */
    public HttpClients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.direct = newClient(null);
        addManaged(direct);
    }

    /**
     * @param proxy a channel's proxy URL, or {@code null}
     * @return the client to use for it, started
     */
    public HttpClient forProxy(String proxy) {
        if (proxy == null || proxy.isBlank()) {
            return direct;
        }
        return byProxy.computeIfAbsent(proxy, p -> {
            HttpClient c = newClient(p);
            try {
                addManaged(c);
                if (!c.isStarted()) {
                    c.start();
                }
                withoutProtocolHandlers(c);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start an HTTP client for a proxy: " + e.getMessage(), e);
            }
            return c;
        });
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        withoutProtocolHandlers(direct);
    }

    /**
     * A vendor's 401 or 407 is an answer to relay and judge, not a challenge for the gateway to answer; and a
     * redirect is not followed. HttpClient installs these handlers when it starts, so they go after.
     */
    private static void withoutProtocolHandlers(HttpClient c) {
        c.getProtocolHandlers().clear();
    }

    private HttpClient newClient(String proxy) {
        HttpClient c = new HttpClient();
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(proxy == null ? "upstream" : "upstream-proxied");
        pool.setDaemon(true);
        c.setExecutor(pool);
        c.setConnectTimeout(connectTimeout.toMillis());
        c.setFollowRedirects(false);
        c.setMaxConnectionsPerDestination(1024);
        c.setIdleTimeout(60_000);
        // The gateway asks for identity encoding so streams are not batched and usage can be read.
        c.getContentDecoderFactories().clear();
        c.setUserAgentField(null);
        // Cookies a vendor sets must never travel to another request, client or channel.
        c.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        if (proxy != null) {
            URI u = URI.create(proxy);
            int port = u.getPort() > 0 ? u.getPort() : (u.getScheme().startsWith("socks") ? 1080 : 8080);
            Origin.Address address = new Origin.Address(u.getHost(), port);
            if (u.getScheme().startsWith("socks")) {
                c.getProxyConfiguration().addProxy(new Socks5Proxy(address, false));
            } else {
                c.getProxyConfiguration().addProxy(new HttpProxy(address, u.getScheme().equals("https")));
            }
        }
        return c;
    }
}
