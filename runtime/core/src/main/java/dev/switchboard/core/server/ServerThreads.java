package dev.switchboard.core.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.ReadPendingException;
import java.util.Optional;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's thread pool, with one hand-over taken out. When an answer completes on a thread other than the one
 * that read its request (the upstream client's, for every relayed request), Jetty gives the connection to a pool
 * thread to look for the client's next request: a thread woken per request, which then reads and relays that
 * request (or, finding nothing read yet, goes back to sleep). Here such a connection waits for its next request on
 * its selector instead, which reads it and runs the handlers in place, as it does for any request that finds its
 * connection waiting: the gateway's handlers never block on the network threads (what may block goes to a worker).
 * At 32 connections this halved the gateway's thread switches per request and cut its CPU per request by about a
 * sixth (docs/performance.md).
 * Left to Jetty's own hand-over: a connection that already holds bytes of a next request (HTTP pipelining), one
 * not on a plain socket (bytes could wait decrypted where the selector cannot see them), and any server whose
 * handlers may block.
 */
final class ServerThreads extends QueuedThreadPool {

    /** Jetty's HTTP/1.1 server connection is in a package its bundle does not export: its one method, looked up. */
    private static final ClassValue<Optional<MethodHandle>> REQUEST_BUFFER_EMPTY = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                return Optional.of(MethodHandles.publicLookup().findVirtual(type, "isRequestBufferEmpty",
                        MethodType.methodType(boolean.class)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
    };

    private volatile Server server;

    ServerThreads(int maxThreads, int minThreads) {
        super(maxThreads, minThreads);
    }

    /** @param server the server whose connections these threads serve */
    void serve(Server server) {
        this.server = server;
    }

    @Override
    public void execute(Runnable task) {
        if (task instanceof AbstractConnection c && !c.isFillInterested() && waitsOnSelector(c)) {
            try {
                c.fillInterested(new NextRequest(c));
                return;
            } catch (ReadPendingException e) {
                // Already waiting for bytes: Jetty's own hand-over, as before.
            }
        }
        super.execute(task);
    }

    private boolean waitsOnSelector(AbstractConnection c) {
        Server s = server;
        if (s == null || s.getInvocationType() != Invocable.InvocationType.NON_BLOCKING
                || !(c.getEndPoint() instanceof SocketChannelEndPoint)) {
            return false;
        }
        Optional<MethodHandle> empty = REQUEST_BUFFER_EMPTY.get(c.getClass());
        try {
            return empty.isPresent() && (boolean) empty.get().invoke(c);
        } catch (Throwable e) {
            return false;
        }
    }

    /** What Jetty's own callback does when the selector finds the connection readable, on the selector's thread. */
    private record NextRequest(AbstractConnection connection) implements Callback {

        @Override
        public void succeeded() {
            connection.onFillable();
        }

        @Override
        public void failed(Throwable x) {
            connection.onFillInterestedFailed(x);
        }

        @Override
        public Invocable.InvocationType getInvocationType() {
            return Invocable.InvocationType.NON_BLOCKING;
        }
    }
}
