package dev.switchboard.core.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Socks5Proxy;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The pooled, keep-alive HTTP clients upstream calls share: one without proxy, one per distinct channel proxy
 * and connect timeout (Jetty's proxy configuration and connect timeout are per client). Created lazily, stopped
 * with the gateway.
 */
public final class HttpClients extends ContainerLifeCycle {

    private static final int MAX_CONNECTIONS_PER_UPSTREAM = 65_536;
    private static final int MAX_PARSED_URLS = 4096;

    private final Duration connectTimeout;
    private final HttpClient direct;
    private final Map<String, HttpClient> byProxy = new ConcurrentHashMap<>();
    private final Map<String, CallUrl> parsedUrls = new ConcurrentHashMap<>();

    /** @param connectTimeout the connect timeout for every upstream */
    public HttpClients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.direct = newClient(null, connectTimeout);
        addManaged(direct);
    }

    /**
     * @param proxy a channel's proxy URL, or {@code null}
     * @return the client to use for it, started
     */
    public HttpClient forProxy(String proxy) {
        return forChannel(proxy, null);
    }

    /**
     * @param proxy a channel's proxy URL, or {@code null}
     * @param connect the channel's own connect timeout, or {@code null} for the gateway's
     * @return the client to use for it, started
     */
    public HttpClient forChannel(String proxy, Duration connect) {
        boolean direct = proxy == null || proxy.isBlank();
        if (direct && (connect == null || connect.equals(connectTimeout))) {
            return this.direct;
        }
        Duration timeout = connect == null ? connectTimeout : connect;
        String key = (direct ? "" : proxy) + "|" + timeout.toMillis();
        return byProxy.computeIfAbsent(key, k -> {
            HttpClient c = newClient(direct ? null : proxy, timeout);
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

    /**
     * A request to an upstream call's URL, with its {@code Host} header set from the URL parsed once (see
     * {@link #url}). Jetty would otherwise rebuild the request's URI from its parts and parse it twice more, for
     * every request, only to read the host back (2.4% of the gateway's CPU at 32 connections).
     *
     * @param client the client to send it with
     * @param url an absolute URL
     * @return the request, to be completed and sent
     * @throws IllegalArgumentException when the URL is not a URI
     */
    public Request newRequest(HttpClient client, String url) {
        CallUrl u = url(url);
        Request r = client.newRequest(u.uri());
        if (u.host() != null) {
            r.headers(h -> h.put(u.host()));
        }
        return r;
    }

    /**
     * An upstream call's URL, parsed once: a channel's calls repeat a handful of URLs, and parsing one is 1% of
     * the relay's CPU. The cache is cleared when it reaches {@value #MAX_PARSED_URLS} URLs (an adapter that puts
     * something per request into its URLs gains nothing, and loses nothing either).
     *
     * @param url an absolute URL
     * @return it parsed
     * @throws IllegalArgumentException when it is not a URI
     */
    public CallUrl url(String url) {
        CallUrl u = parsedUrls.get(url);
        if (u == null) {
            u = CallUrl.of(URI.create(url));
            if (parsedUrls.size() >= MAX_PARSED_URLS) {
                parsedUrls.clear();
            }
            parsedUrls.put(url, u);
        }
        return u;
    }

    /**
     * A parsed call URL and the {@code Host} header for it: the host and the port when the URL names one, as Jetty
     * writes it (without user information).
     *
     * @param uri the URL
     * @param host the header, or {@code null} when the URL has no host
     */
    public record CallUrl(URI uri, HttpField host) {

        static CallUrl of(URI uri) {
            String host = uri.getHost();
            return new CallUrl(uri, host == null ? null
                    : new HttpField(HttpHeader.HOST, uri.getPort() < 0 ? host : host + ":" + uri.getPort()));
        }
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

    private HttpClient newClient(String proxy, Duration connectTimeout) {
        HttpClient c = new HttpClient();
        // The relay's listeners never block: the upstream's answer is handled where it was read, without a
        // hand-over to another thread per event.
        c.getHttpClientTransport().setInvocationType(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(proxy == null ? "upstream" : "upstream-proxied");
        pool.setDaemon(true);
        c.setExecutor(pool);
        c.setConnectTimeout(connectTimeout.toMillis());
        c.setFollowRedirects(false);
        // Over HTTP/1.1 a stream holds its upstream connection for as long as it runs (minutes for a long answer):
        // thousands of concurrent streams to one vendor need as many connections. At 1024 the bench's 5,000 open
        // streams queued, then failed (max requests queued per destination); the file descriptor limit (ulimit -n)
        // is the real bound, so this one stays above it.
        c.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_UPSTREAM);
        c.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS_PER_UPSTREAM);
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
