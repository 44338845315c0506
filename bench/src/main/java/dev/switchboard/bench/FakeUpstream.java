package dev.switchboard.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A fast fake OpenAI upstream for the benchmarks, on loopback: Jetty's non-blocking core, fixed answers built once.
 * {@code POST /v1/chat/completions} answers a chat completion with usage, or with {@code "stream": true} an SSE
 * stream of {@code events} content chunks {@code gapMs} apart, a usage chunk and {@code [DONE]};
 * streams for the model {@code bench-hold} are long ones ({@code holdEvents} chunks {@code holdGapMs} apart) to keep
 * thousands open at once; {@code POST /v1/embeddings} reads the whole body (the 1 MiB scenario) and answers one
 * embedding with usage.
 *
 * <p>Usage: {@code FakeUpstream <port> [events] [gapMs] [holdEvents] [holdGapMs]} (defaults 64, 20, 30, 1000).
 */
public final class FakeUpstream extends Handler.Abstract.NonBlocking {

    private static final byte[] CHAT = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello from the fake upstream.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMBEDDING = ("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
            + "\"embedding\":[0.0023,-0.0093,0.0151,0.0042]}],\"model\":\"bench-embed\","
            + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},"
            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1,\"model\":\"bench-model\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":64,\"total_tokens\":76}}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM_FLAG = "\"stream\":true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM_FLAG_SPACED = "\"stream\": true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HOLD_MODEL = "\"bench-hold\"".getBytes(StandardCharsets.UTF_8);

    private final int events;
    private final long gapMs;
    private final int holdEvents;
    private final long holdGapMs;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "fake-upstream-timer");
        t.setDaemon(true);
        return t;
    });

    FakeUpstream(int events, long gapMs, int holdEvents, long holdGapMs) {
        this.events = events;
        this.gapMs = gapMs;
        this.holdEvents = holdEvents;
        this.holdGapMs = holdGapMs;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        FakeUpstream fake = new FakeUpstream(args.length > 1 ? Integer.parseInt(args[1]) : 64,
                args.length > 2 ? Long.parseLong(args[2]) : 20, args.length > 3 ? Integer.parseInt(args[3]) : 30,
                args.length > 4 ? Long.parseLong(args[4]) : 1000);
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("fake-upstream");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        server.setHandler(fake);
        server.start();
        System.out.println("fake upstream on http://127.0.0.1:" + connector.getLocalPort() + "/v1 (" + fake.events
                + " events " + fake.gapMs + " ms apart)");
        server.join();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.endsWith("/embeddings")) {
            Content.Source.consumeAll(request, Callback.from(() -> answer(response, callback, EMBEDDING),
                    callback::failed));
            return true;
        }
        if (!path.endsWith("/chat/completions")) {
            response.setStatus(404);
            callback.succeeded();
            return true;
        }
        Content.Source.asByteBufferAsync(request).whenComplete((body, failure) -> {
            if (failure != null) {
                callback.failed(failure);
            } else if (Bytes.count(body, STREAM_FLAG) + Bytes.count(body, STREAM_FLAG_SPACED) > 0) {
                boolean hold = Bytes.count(body, HOLD_MODEL) > 0;
                stream(response, callback, hold ? holdEvents : events, hold ? holdGapMs : gapMs);
            } else {
                answer(response, callback, CHAT);
            }
        });
        return true;
    }

    private static void answer(Response response, Callback callback, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void stream(Response response, Callback callback, int count, long gap) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        sendEvent(response, callback, 0, count, gap);
    }

    /** Writes event {@code i} now, then schedules the next once the write is done (no batching by the fake). */
    private void sendEvent(Response response, Callback callback, int i, int count, long gap) {
        if (i == count) {
            response.write(true, ByteBuffer.wrap(END), callback);
            return;
        }
        response.write(false, ByteBuffer.wrap(EVENT), Callback.from(
                () -> timer.schedule(() -> sendEvent(response, callback, i + 1, count, gap), gap, TimeUnit.MILLISECONDS),
                callback::failed));
    }
}
