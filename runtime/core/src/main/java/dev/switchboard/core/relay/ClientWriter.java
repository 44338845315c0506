package dev.switchboard.core.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serialises writes to the client: Jetty allows one write in flight per response, while upstream content and
 * the keep-alive timer both want to write. Each write is flushed; its callback runs when the client took it.
 */
final class ClientWriter {

    private static final ByteBuffer KEEP_ALIVE = ByteBuffer.wrap(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));

    private record Pending(ByteBuffer bytes, boolean last, Callback callback) {
    }

    private final Response response;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private volatile long lastWriteNanos = System.nanoTime();

    ClientWriter(Response response) {
        this.response = response;
    }

    /**
     * @param bytes what to send
     * @param last whether it ends the answer
     * @param callback told when the client took it, or failed
     */
    void write(ByteBuffer bytes, boolean last, Callback callback) {
        synchronized (this) {
            if (closed) {
                callback.failed(new IllegalStateException("the answer is already complete"));
                return;
            }
            if (last) {
                closed = true;
            }
            if (writing) {
                queue.add(new Pending(bytes, last, callback));
                return;
            }
            writing = true;
        }
        send(new Pending(bytes, last, callback));
    }

    /**
     * Sends an SSE comment when nothing was written for {@code idleNanos} and nothing is being written.
     *
     * @param idleNanos how long the answer must have been silent
     * @param callback told when the client took the comment, or failed (it went away)
     */
    void keepAliveIfIdle(long idleNanos, Callback callback) {
        synchronized (this) {
            if (writing || closed || System.nanoTime() - lastWriteNanos < idleNanos) {
                return;
            }
            writing = true;
        }
        send(new Pending(KEEP_ALIVE.duplicate(), false, callback));
    }

    private void send(Pending p) {
        lastWriteNanos = System.nanoTime();
        response.write(p.last, p.bytes, new Callback() {
            @Override
            public void succeeded() {
                p.callback.succeeded();
                next();
            }

            @Override
            public void failed(Throwable x) {
                p.callback.failed(x);
                Pending q;
                synchronized (ClientWriter.this) {
                    closed = true;
                    writing = false;
                    q = queue.poll();
                }
                while (q != null) {
                    q.callback.failed(x);
                    synchronized (ClientWriter.this) {
                        q = queue.poll();
                    }
                }
            }
        });
    }

    private void next() {
        Pending p;
        synchronized (this) {
            p = queue.poll();
            if (p == null) {
                writing = false;
                return;
            }
        }
        send(p);
    }
}
