package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.routing.Candidate;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call and the relay of its answer to the client. The answer's shape decides the mode: an SSE
 * stream or a JSON/binary body, relayed as it comes (pass-through) or through the adapter (translated); an
 * error status is buffered and translated. Upstream content is demanded only after the client took the
 * previous bytes, so a slow client slows the upstream instead of filling the heap.
 */
final class Exchange implements Response.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final int MAX_ERROR_BODY = 256 * 1024;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private enum Mode { PENDING, SSE_PASS, JSON_PASS, BYTES_PASS, BUFFER_ERROR, BUFFER_TRANSLATE, SSE_TRANSLATE }

    private final RelayContext ctx;
    private final Attempt attempt;
    private final Candidate candidate;
    private final UpstreamCall call;
    private final ClientWriter writer;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean settled = new AtomicBoolean();

    private volatile Mode mode = Mode.PENDING;
    private volatile long lastUpstreamNanos = startNanos;
    private volatile org.eclipse.jetty.client.Request upstream;
    private ScheduledFuture<?> watchdog;
    private int upstreamStatus;
    private String upstreamType;
    private long firstByteNanos;
    private SseParser sse;
    private UsageScanner scanner;
    private StreamTranslator translator;
    private ByteArrayOutputStream buffer;
    private Usage usage = Usage.NONE;
    private boolean sawDone;
    private String chunkId;
    private String chunkModel;
    private long chunkCreated;

    Exchange(RelayContext ctx, Attempt attempt, Candidate candidate, UpstreamCall call) {
        this.ctx = ctx;
        this.attempt = attempt;
        this.candidate = candidate;
        this.call = call;
        this.writer = new ClientWriter(attempt.response());
    }

    void start(org.eclipse.jetty.client.Request.Content body) {
        RelayLimits limits = ctx.limits();
        long idleGuard = Math.max(limits.firstByte().toMillis(), limits.idle().toMillis()) + 5000;
        org.eclipse.jetty.client.Request r = ctx.clients().forProxy(candidate.channel().proxy())
                .newRequest(call.url()).method(call.method())
                .timeout(limits.total().toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(idleGuard, TimeUnit.MILLISECONDS);
        r.headers(h -> {
            call.headers().forEach(h::put);
            // Identity, so stream events are not batched by a compressor and usage can be read.
            h.put(HttpHeader.ACCEPT_ENCODING, "identity");
            if (call.isStream()) {
                h.put(HttpHeader.ACCEPT, "text/event-stream");
            }
        });
        if (body != null) {
            r.body(body);
        }
        upstream = r;
        attempt.request().addFailureListener(t -> abort(new ClientGone(t)));
        long tick = limits.tick().toMillis();
        watchdog = ctx.scheduler().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        r.send(this);
    }

    private void tick() {
        long now = System.nanoTime();
        RelayLimits limits = ctx.limits();
        if (mode == Mode.PENDING) {
            if (now - startNanos > limits.firstByte().toNanos()) {
                abort(new UpstreamTimeout("no answer within " + limits.firstByte().toSeconds()
                        + " s (timeout.first_byte)"));
            }
            return;
        }
        if (mode == Mode.SSE_PASS || mode == Mode.SSE_TRANSLATE) {
            if (now - lastUpstreamNanos > limits.idle().toNanos()) {
                abort(new UpstreamTimeout("the stream was silent for " + limits.idle().toSeconds()
                        + " s (timeout.idle)"));
                return;
            }
            // A keep-alive that fails is the only sign that a client left while the upstream is silent.
            writer.keepAliveIfIdle(limits.keepAlive().toNanos(),
                    Callback.from(() -> { }, x -> abort(new ClientGone(x))));
        }
    }

    private void abort(Throwable why) {
        org.eclipse.jetty.client.Request r = upstream;
        if (r != null) {
            r.abort(why);
        }
    }

    @Override
    public void onBegin(Response response) {
        firstByteNanos = System.nanoTime();
    }

    @Override
    public void onHeaders(Response response) {
        upstreamStatus = response.getStatus();
        upstreamType = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String type = upstreamType == null ? "" : upstreamType.toLowerCase(Locale.ROOT);
        boolean ok = upstreamStatus / 100 == 2;
        boolean eventStream = type.startsWith("text/event-stream");
        lastUpstreamNanos = System.nanoTime();
        if (!ok) {
            buffer = new ByteArrayOutputStream();
            mode = Mode.BUFFER_ERROR;
        } else if (eventStream) {
            sse = new SseParser(ctx.limits().maxBody());
            if (!call.isPassThrough()) {
                translator = candidate.adapter().adapter().newStreamTranslator(attempt.relayRequest());
            }
            startStream();
            mode = call.isPassThrough() ? Mode.SSE_PASS : Mode.SSE_TRANSLATE;
        } else if (!call.isPassThrough()) {
            buffer = new ByteArrayOutputStream();
            mode = Mode.BUFFER_TRANSLATE;
        } else {
            org.eclipse.jetty.server.Response client = attempt.response();
            client.setStatus(upstreamStatus);
            if (upstreamType != null) {
                client.getHeaders().put(HttpHeader.CONTENT_TYPE, upstreamType);
            }
            long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (length >= 0) {
                client.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            }
            boolean json = type.contains("json");
            scanner = json ? new UsageScanner() : null;
            mode = json ? Mode.JSON_PASS : Mode.BYTES_PASS;
        }
    }

    private void startStream() {
        org.eclipse.jetty.server.Response client = attempt.response();
        client.setStatus(200);
        client.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        client.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        client.getHeaders().put("X-Accel-Buffering", "no");
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        lastUpstreamNanos = System.nanoTime();
        ByteBuffer in = chunk.getByteBuffer();
        try {
            switch (mode) {
                case JSON_PASS, BYTES_PASS -> {
                    if (scanner != null) {
                        scanner.feed(in);
                    }
                    writer.write(copy(in), false, demandAfter(demander));
                }
                case SSE_PASS, SSE_TRANSLATE -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    sse.feed(in, ev -> onEvent(ev, out));
                    if (out.size() > 0) {
                        writer.write(ByteBuffer.wrap(out.toByteArray()), false, demandAfter(demander));
                    } else {
                        demander.run();
                    }
                }
                case BUFFER_ERROR, BUFFER_TRANSLATE -> {
                    int limit = mode == Mode.BUFFER_ERROR ? MAX_ERROR_BODY : (int) Math.min(Integer.MAX_VALUE - 8,
                            ctx.limits().maxBody() * 2);
                    int room = limit - buffer.size();
                    if (room > 0) {
                        byte[] b = new byte[Math.min(room, in.remaining())];
                        in.get(b);
                        buffer.writeBytes(b);
                    } else if (mode == Mode.BUFFER_TRANSLATE) {
                        abort(new IllegalStateException("the upstream answer is larger than " + limit + " bytes"));
                        return;
                    }
                    demander.run();
                }
                default -> demander.run();
            }
        } catch (StreamFailure e) {
            abort(e);
        }
    }

    /** Handles one upstream event; what the client gets goes to {@code out}. */
    private void onEvent(SseEvent ev, ByteArrayOutputStream out) {
        if (sawDone) {
            return;
        }
        if (mode == Mode.SSE_TRANSLATE) {
            if (translator.finished()) {
                return;
            }
            try {
                translator.onEvent(ev, chunk -> emitChunk(chunk, out));
            } catch (UpstreamErrorException e) {
                throw new StreamFailure(e.error());
            } catch (RuntimeException e) {
                throw new StreamFailure(UpstreamError.builder(502, "upstream_error",
                        "the " + candidate.channel().type() + " stream could not be translated: " + e)
                        .retryable(true).build());
            }
            return;
        }
        String data = ev.data();
        if (data.equals("[DONE]")) {
            sawDone = true;
            out.writeBytes(DONE);
            return;
        }
        if (data.contains("\"usage\"") || data.contains("\"error\"")) {
            data = inspect(data);
            if (data == null) {
                return;
            }
        }
        if (ev.event() != null) {
            out.writeBytes(("event: " + ev.event() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        writeData(data, out);
    }

    /** Reads usage from a pass-through chunk; hides it from clients that did not ask. Null drops the event. */
    private String inspect(String data) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(data);
        } catch (java.io.IOException e) {
            return data;
        }
        if (!(node instanceof ObjectNode o)) {
            return data;
        }
        Usage u = UsageReader.read(o.get("usage"));
        if (u != null) {
            usage = u;
        }
        if (!attempt.relayRequest().includeUsage() && o.hasNonNull("usage")) {
            JsonNode choices = o.get("choices");
            if (choices instanceof ArrayNode a && a.isEmpty()) {
                return null;
            }
            o.remove("usage");
            return o.toString();
        }
        return data;
    }

    private void emitChunk(JsonNode chunk, ByteArrayOutputStream out) {
        if (chunk.hasNonNull("id")) {
            chunkId = chunk.get("id").asText();
        }
        if (chunk.hasNonNull("model")) {
            chunkModel = chunk.get("model").asText();
        }
        if (chunk.hasNonNull("created")) {
            chunkCreated = chunk.get("created").asLong();
        }
        writeData(chunk.toString(), out);
    }

    private static void writeData(String data, ByteArrayOutputStream out) {
        for (String line : data.split("\n", -1)) {
            out.writeBytes(("data: " + line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
    }

    @Override
    public void onComplete(Result result) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        try {
            if (result.isFailed()) {
                failed(result.getFailure());
            } else {
                succeeded();
            }
        } catch (RuntimeException e) {
            LOG.error("request {}: relaying the answer failed: {}", attempt.requestId(), e.toString(), e);
            finishWithError(RelayError.of(500, "internal_error", "internal error; the request id is "
                    + attempt.requestId()));
        } finally {
            attempt.close();
        }
    }

    private void succeeded() {
        switch (mode) {
            case BUFFER_ERROR -> {
                UpstreamError e = candidate.adapter().adapter().translateError(upstreamStatus, upstreamType,
                        buffer.toByteArray());
                finishWithError(RelayError.upstream(e, candidate.channel().id()));
            }
            case BUFFER_TRANSLATE -> translated();
            case JSON_PASS, BYTES_PASS -> {
                if (scanner != null && scanner.usage() != null) {
                    usage = scanner.usage();
                }
                writer.write(ByteBuffer.allocate(0), true, attempt.callback());
                settle(upstreamStatus, null);
            }
            case SSE_PASS, SSE_TRANSLATE -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    sse.finish(ev -> onEvent(ev, out));
                    if (translator != null) {
                        translator.onEnd(chunk -> emitChunk(chunk, out));
                        usage = translator.usage();
                        if (attempt.relayRequest().includeUsage()) {
                            emitChunk(usageChunk(), out);
                        }
                    }
                } catch (StreamFailure e) {
                    streamError(RelayError.upstream(e.error, candidate.channel().id()), out);
                    return;
                }
                if (!sawDone) {
                    out.writeBytes(DONE);
                }
                writer.write(ByteBuffer.wrap(out.toByteArray()), true, attempt.callback());
                settle(200, null);
            }
            default -> finishWithError(RelayError.of(502, "upstream_error", "the upstream answered nothing"));
        }
    }

    private void translated() {
        try {
            JsonNode body = Json.MAPPER.readTree(buffer.toByteArray());
            TranslatedResponse t = candidate.adapter().adapter().translateResponse(attempt.relayRequest(),
                    upstreamStatus, body);
            usage = t.usage() == null ? Usage.NONE : t.usage();
            byte[] bytes = Json.bytes(t.body());
            org.eclipse.jetty.server.Response client = attempt.response();
            client.setStatus(200);
            client.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            client.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            writer.write(ByteBuffer.wrap(bytes), true, attempt.callback());
            settle(200, null);
        } catch (UpstreamErrorException e) {
            finishWithError(RelayError.upstream(e.error(), candidate.channel().id()));
        } catch (java.io.IOException | RuntimeException e) {
            finishWithError(RelayError.of(502, "upstream_error", "the " + candidate.channel().type()
                    + " answer could not be translated: " + e.getClass().getSimpleName()));
        }
    }

    private void failed(Throwable failure) {
        if (failure instanceof StreamFailure sf) {
            endWith(RelayError.upstream(sf.error, candidate.channel().id()));
            return;
        }
        if (failure instanceof ClientGone || attempt.response().isCommitted() && mode != Mode.SSE_PASS
                && mode != Mode.SSE_TRANSLATE) {
            attempt.callback().failed(failure);
            settle(499, "the client disconnected");
            return;
        }
        RelayError e;
        String where = "[channel " + candidate.channel().id() + "] ";
        if (failure instanceof UpstreamTimeout || failure instanceof java.util.concurrent.TimeoutException) {
            String what = failure instanceof UpstreamTimeout ? failure.getMessage() : "the call took longer than "
                    + ctx.limits().total().toSeconds() + " s (timeout.total)";
            e = new RelayError(504, "upstream_error", "upstream_timeout", null, where + "upstream timed out: "
                    + what, null, candidate.channel().id());
        } else {
            String what = failure instanceof ConnectException ? "connection refused"
                    : failure.getMessage() != null && failure.getMessage().contains("larger than")
                    ? failure.getMessage() : "connection failed (" + failure.getClass().getSimpleName() + ")";
            e = new RelayError(502, "upstream_error", "upstream_error", null, where + "upstream " + what, null,
                    candidate.channel().id());
        }
        endWith(e);
    }

    /** Before the first byte reached the client, a proper error status; inside a stream, an error event. */
    private void endWith(RelayError e) {
        if (attempt.response().isCommitted() && (mode == Mode.SSE_PASS || mode == Mode.SSE_TRANSLATE)) {
            streamError(e, new ByteArrayOutputStream());
        } else {
            finishWithError(e);
        }
    }

    /** Ends a started stream with an error event and {@code [DONE]}, as the relay contract says. */
    private void streamError(RelayError e, ByteArrayOutputStream out) {
        writeData(e.body().toString(), out);
        out.writeBytes(DONE);
        writer.write(ByteBuffer.wrap(out.toByteArray()), true, attempt.callback());
        settle(200, e.getMessage());
    }

    private void finishWithError(RelayError e) {
        if (attempt.response().isCommitted()) {
            attempt.callback().failed(e);
        } else {
            attempt.respond(e);
        }
        settle(e.status(), e.getMessage());
    }

    private ObjectNode usageChunk() {
        ObjectNode chunk = Json.object();
        chunk.put("id", chunkId == null ? "chatcmpl-" + attempt.requestId() : chunkId);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", chunkCreated == 0 ? System.currentTimeMillis() / 1000 : chunkCreated);
        chunk.put("model", chunkModel == null ? attempt.relayRequest().model() : chunkModel);
        chunk.putArray("choices");
        ObjectNode u = chunk.putObject("usage");
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        return chunk;
    }

    private void settle(int status, String error) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        long now = System.nanoTime();
        long firstByteMs = firstByteNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstByteNanos - startNanos);
        ctx.outcomes().settle(new Outcome(attempt.requestId(), attempt.token().id(), attempt.token().userId(),
                candidate.channel().id(), attempt.relayRequest().model(), candidate.upstreamModel(),
                attempt.relayRequest().stream(), status, usage, firstByteMs,
                TimeUnit.NANOSECONDS.toMillis(now - attempt.startNanos()), error, attempt.clientIp()));
    }

    private Callback demandAfter(Runnable demander) {
        return Callback.from(demander, x -> abort(new ClientGone(x)));
    }

    private static ByteBuffer copy(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining());
        out.put(in.duplicate()).flip();
        return out;
    }

    /** An upstream event that reports an error, or cannot be translated. */
    private static final class StreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient UpstreamError error;

        StreamFailure(UpstreamError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
