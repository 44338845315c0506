package dev.switchboard.core.server;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The Jetty server. Stopping is graceful: the connector stops accepting, requests and streams in flight may
 * finish within the grace period, then whatever remains is cut.
 */
public final class GatewayServer {

    private final Server server;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final Duration grace;

    /**
     * @param host the address to bind, empty for all
     * @param port the port, 0 for any free one
     * @param grace how long a stop waits for requests in flight
     * @param root the root handler
     */
    public GatewayServer(String host, int port, Duration grace, Handler root) {
        this(host, port, grace, root, 16 * 1024);
    }

    /**
     * @param host the address to bind, empty for all
     * @param port the port, 0 for any free one
     * @param grace how long a stop waits for requests in flight
     * @param root the root handler
     * @param maxHeaderBytes largest request head (line and headers); a larger one is answered 431
     */
    public GatewayServer(String host, int port, Duration grace, Handler root, int maxHeaderBytes) {
        ServerThreads pool = new ServerThreads(400, 8);
        pool.setName("gateway");
        server = new Server(pool);
        pool.serve(server);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(maxHeaderBytes);
        // Model ids contain '/' (deepseek-ai/DeepSeek-R1) and SDKs encode it in GET /v1/models/{id}: accept %2F
        // instead of answering Jetty's own 400. Handlers route on the raw path, where %2F stays inside its segment.
        http.setUriCompliance(UriCompliance.DEFAULT.with("DEFAULT+ENCODED_SLASH",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host == null || host.isBlank() ? null : host);
        connector.setPort(port);
        connector.setIdleTimeout(Duration.ofMinutes(31).toMillis());
        // Jetty's graceful stop would cut every connection's idle timeout to 1 s, failing requests in flight that
        // are silent that long (a slow upload, a call waiting for its upstream's first byte): keep the timeouts.
        connector.setShutdownIdleTimeout(-1);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors(maxHeaderBytes));
        graceful = new GracefulHandler(root);
        server.setHandler(graceful);
        this.grace = grace;
        // stop() waits for the requests in flight itself; the server's own stop then only closes what is left.
        server.setStopTimeout(0);
        server.setStopAtShutdown(false);
    }

    /**
     * @throws Exception when the port cannot be bound
     */
    public void start() throws Exception {
        server.start();
    }

    /** @return the bound port */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Stops accepting (new connections are refused, new requests on open connections answer 503), waits for the
     * requests in flight up to the grace period, then stops, closing the connections left (idle ones at once).
     */
    public void stop() {
        if (server.isStarted()) {
            connector.shutdown();
            try {
                graceful.shutdown().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Requests still running after the grace period are cut below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            server.stop();
        } catch (Exception e) {
            // Requests still running after the grace period are cut; nothing else to do on the way out.
        }
    }
}
