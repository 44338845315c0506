package dev.switchboard.core.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The client's address, decided once per request by the root handler (see {@link TrustedProxies}) and used by
 * subnet rules, login limits and logs alike.
 */
public final class ClientAddress {

    /** Request attribute holding the client's address. */
    public static final String ATTRIBUTE = "switchboard.clientAddress";

    private ClientAddress() {
    }

    /**
     * @param request a request
     * @param proxies the trusted proxies
     * @return the client's address, which is also set on the request
     */
    static String resolve(Request request, TrustedProxies proxies) {
        String peer = Request.getRemoteAddr(request);
        String client = proxies.isEmpty() ? peer
                : proxies.client(peer, request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        request.setAttribute(ATTRIBUTE, client);
        return client;
    }

    /**
     * @param request a request
     * @return its client's address: the one the root handler decided, else the connection's
     */
    public static String of(Request request) {
        Object a = request.getAttribute(ATTRIBUTE);
        return a instanceof String s ? s : Request.getRemoteAddr(request);
    }
}
