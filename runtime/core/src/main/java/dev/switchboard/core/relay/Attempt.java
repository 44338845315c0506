package dev.switchboard.core.relay;

import dev.switchboard.core.ratelimit.Decision;
import dev.switchboard.core.server.Answers;
import dev.switchboard.core.server.ClientAddress;
import dev.switchboard.core.store.TokenRecord;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One client request on its way through the relay: the Jetty exchange, the authenticated token, the parsed
 * request, and what to release when it is over (a spooled upload).
 */
final class Attempt {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String requestId;
    private final long startNanos;
    private TokenRecord token;
    private String model;
    private ClientRequest relayRequest;
    private AutoCloseable resources;
    private Dispatch dispatch;
    private volatile Decision limits;
    private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
    private final GeneratedText generated = new GeneratedText();
    private volatile Admission.Hold hold = Admission.Hold.NONE;
    private volatile RelayMeter openStream;

    Attempt(Request request, Response response, Callback callback, String requestId) {
        this.request = request;
        this.response = response;
        this.callback = new Ending(callback);
        this.requestId = requestId;
        this.startNanos = System.nanoTime();
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }

    String requestId() {
        return requestId;
    }

    long startNanos() {
        return startNanos;
    }

    String clientIp() {
        return ClientAddress.of(request);
    }

    /** @param d the rate limits' decision, whose concurrency slot the request holds until it ends */
    void limits(Decision d) {
        this.limits = d;
    }

    /** Gives back what the request holds of its token's limits (its concurrency slot); idempotent. */
    void release() {
        Decision d = limits;
        if (d != null) {
            d.release();
        }
    }

    TokenRecord token() {
        return token;
    }

    void token(TokenRecord t) {
        this.token = t;
    }

    /** @param m the model asked for, known before the request is built */
    void model(String m) {
        this.model = m;
    }

    ClientRequest relayRequest() {
        return relayRequest;
    }

    void relayRequest(ClientRequest r) {
        this.relayRequest = r;
    }

    Dispatch dispatch() {
        return dispatch;
    }

    void dispatch(Dispatch d) {
        this.dispatch = d;
    }

    /**
     * Reports the request's outcome, once: later calls are ignored.
     *
     * @param sink where outcomes go
     * @param channelId the channel that answered last, 0 for none
     * @param upstreamModel the model sent upstream, or null
     * @param status the status the client got
     * @param usage the usage to bill
     * @param firstByteMs time to the upstream's first byte, -1 if none
     * @param error the error message, or null
     */
    void settle(OutcomeSink sink, long channelId, String upstreamModel, int status,
            dev.switchboard.api.provider.Usage usage, long firstByteMs, String error) {
        if (token == null || !settled.compareAndSet(false, true)) {
            return;
        }
        RelayMeter s = openStream;
        if (s != null) {
            s.closed();
        }
        release();
        ClientRequest r = relayRequest;
        sink.settle(new Outcome(requestId, token.id(), token.userId(), channelId, r == null ? model : r.model(),
                upstreamModel, r != null && r.stream(), status, usage, firstByteMs,
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), error,
                clientIp(), dispatch == null ? 0 : dispatch.attempts(), dispatch == null ? List.of() : dispatch.tried(),
                hold, generated));
    }

    /**
     * @param meter told now that this request's stream opened, and again when the request settles; a later
     *     attempt of the same request (a failover) is not counted again
     */
    void streamOpened(RelayMeter meter) {
        if (openStream == null) {
            openStream = meter;
            meter.opened();
        }
    }

    /** @return what the upstream generated, kept for counting */
    GeneratedText generated() {
        return generated;
    }

    void hold(Admission.Hold h) {
        this.hold = h;
    }

    /** @return the group to route in: the admission's (the owner's group) unless the token overrides it */
    String group() {
        String g = hold.group();
        return g != null ? g : RelayHandler.group(token);
    }

    void resources(AutoCloseable r) {
        this.resources = r;
    }

    /** Answers with an error, unless the answer has started. */
    void respond(RelayError e) {
        release();
        Answers.json(response, callback, e.status(), e.body());
    }

    /** The request's callback: whichever way the request ends, its concurrency slot is given back. */
    private final class Ending implements Callback {
        private final Callback delegate;

        Ending(Callback delegate) {
            this.delegate = delegate;
        }

        @Override
        public void succeeded() {
            release();
            delegate.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            release();
            delegate.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }

    /** Releases what the request held (temporary files of an upload). */
    void close() {
        AutoCloseable r = resources;
        resources = null;
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // Temporary files left behind are in the cache folder, cleaned at start.
            }
        }
    }
}
