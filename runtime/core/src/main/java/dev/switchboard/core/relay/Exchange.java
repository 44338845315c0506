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
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call and the relay of its answer to the client. The answer's shape decides the mode: an SSE
 * stream relayed event by event (pass-through or through the adapter's translator), or assembled into one
 * answer for a client that did not ask for a stream; a JSON or binary body relayed as it comes; an error status
 * buffered and translated. Upstream content is demanded only after the client took the previous bytes, so a slow
 * client slows the upstream instead of filling the heap. A failure before the first byte reached the client goes
 * to the request's {@link Dispatch}, which may try again.
 */
final class Exchange implements Response.Listener, Watchdog.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final int MAX_ERROR_BODY = 256 * 1024;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private enum Mode {
        PENDING, SSE_PASS, SSE_TRANSLATE, SSE_ASSEMBLE, JSON_PASS, BYTES_PASS, BUFFER_ERROR, BUFFER_TRANSLATE
    }

    private final RelayContext ctx;
    private final Attempt attempt;
    private final Candidate candidate;
    private final UpstreamCall call;
    private final String channelKey;
    private final ClientWriter writer;
    private final long startNanos = System.nanoTime();
    private final Timeouts timeouts;
    /** When the upstream's answer must have started: its first-byte timeout, or the request's budget if sooner. */
    private final long firstByteDeadline;
    private final boolean budgetFirst;

    private volatile Mode mode = Mode.PENDING;
    private volatile long lastUpstreamNanos = startNanos;
    private volatile org.eclipse.jetty.client.Request upstream;
    private final Watchdog watchdog;
    private long tickNanos;
    /** When the watchdog looks next; {@code Long.MAX_VALUE} once the call ended. */
    private volatile long nextLookNanos = Long.MAX_VALUE;
    private int upstreamStatus;
    private String upstreamType;
    private long firstByteNanos;
    private SseParser sse;
    private UsageScanner scanner;
    private StreamTranslator translator;
    private ChunkAssembler assembler;
    private ByteArrayOutputStream buffer;
    private Usage usage = Usage.NONE;
    private boolean sawDone;
    private boolean usageChunkSent;
    private String chunkId;
    private String chunkModel;
    private long chunkCreated;
    private boolean clientGone;

    Exchange(RelayContext ctx, Watchdog watchdog, Attempt attempt, Candidate candidate, UpstreamCall call,
            String channelKey) {
        this.ctx = ctx;
        this.watchdog = watchdog;
        this.channelKey = channelKey;
        this.attempt = attempt;
        this.candidate = candidate;
        this.call = call;
        this.writer = new ClientWriter(attempt.response());
        this.timeouts = Timeouts.of(ctx.limits(), candidate.channel().timeouts());
        long own = startNanos + timeouts.firstByte().toNanos();
        Dispatch d = attempt.dispatch();
        this.budgetFirst = d != null && d.deadline() - own < 0;
        this.firstByteDeadline = budgetFirst ? d.deadline() : own;
    }

    void start(org.eclipse.jetty.client.Request.Content body) {
        long idleGuard = Math.max(timeouts.firstByte().toMillis(), timeouts.idle().toMillis()) + 5000;
        org.eclipse.jetty.client.Request r = ctx.clients()
                .newRequest(ctx.clients().forChannel(candidate.channel().proxy(), timeouts.connect()), call.url())
                .method(call.method())
                // timeout.total is the watchdog's, like the others: a Jetty request timeout schedules a wake-up of
                // the client's timer thread for every call (5% of the relay's CPU at one connection).
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
        tickNanos = timeouts.tick(ctx.limits().keepAlive()).toNanos();
        nextLookNanos = System.nanoTime() + tickNanos;
        watchdog.watch(this);
        r.send(this);
    }

    @Override
    public long getExpireNanoTime() {
        return nextLookNanos;
    }

    @Override
    public boolean look() {
        if (nextLookNanos == Long.MAX_VALUE) {
            return false;
        }
        tick();
        if (nextLookNanos == Long.MAX_VALUE) {
            return false; // the look ended the call
        }
        nextLookNanos = System.nanoTime() + tickNanos;
        return true;
    }

    private void tick() {
        long now = System.nanoTime();
        if (now - startNanos > timeouts.total().toNanos()) {
            abort(new UpstreamTimeout("the call took longer than " + text(timeouts.total()) + " (timeout.total)"));
            return;
        }
        if (mode == Mode.PENDING) {
            if (now - firstByteDeadline > 0) {
                abort(new UpstreamTimeout(budgetFirst ? "the request's time for all attempts ran out after "
                        + text(ctx.limits().maxTime()) + " (retry.max_time)" : "no answer within "
                        + text(timeouts.firstByte()) + " (timeout.first_byte)"));
            }
            return;
        }
        if (isStreamMode()) {
            if (now - lastUpstreamNanos > timeouts.idle().toNanos()) {
                abort(new UpstreamTimeout("the stream was silent for " + text(timeouts.idle()) + " (timeout.idle)"));
                return;
            }
            if (mode != Mode.SSE_ASSEMBLE) {
                // A keep-alive that fails is the only sign that a client left while the upstream is silent.
                writer.keepAliveIfIdle(ctx.limits().keepAlive().toNanos(),
                        Callback.from(() -> { }, x -> abort(new ClientGone(x))));
            }
        }
    }

    private boolean isStreamMode() {
        return mode == Mode.SSE_PASS || mode == Mode.SSE_TRANSLATE || mode == Mode.SSE_ASSEMBLE;
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
        lastUpstreamNanos = System.nanoTime();
        if (upstreamStatus / 100 == 2 && attempt.dispatch() != null) {
            long since = (firstByteNanos == 0 ? lastUpstreamNanos : firstByteNanos) - startNanos;
            attempt.dispatch().answered(candidate, TimeUnit.NANOSECONDS.toMillis(since));
        }
        if (upstreamStatus / 100 != 2) {
            buffer = new ByteArrayOutputStream();
            mode = Mode.BUFFER_ERROR;
        } else if (type.startsWith("text/event-stream")) {
            sse = new SseParser(ctx.limits().maxBody());
            if (!call.isPassThrough()) {
                long start = ctx.plugins().start();
                try {
                    translator = candidate.adapter().adapter().newStreamTranslator(attempt.relayRequest());
                    ctx.plugins().took(candidate, "newStreamTranslator", start);
                } catch (RuntimeException e) {
                    // Nothing went to the client yet: the dispatch decides, as for any failure before the answer.
                    abort(new StreamFailure(PluginErrors.verdict(candidate, e, "newStreamTranslator", channelKey)));
                    return;
                }
            }
            if (!attempt.relayRequest().stream()) {
                assembler = new ChunkAssembler();
                mode = Mode.SSE_ASSEMBLE;
            } else {
                startStream();
                mode = call.isPassThrough() ? Mode.SSE_PASS : Mode.SSE_TRANSLATE;
            }
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
            scanner = json ? new UsageScanner(length) : null;
            mode = json ? Mode.JSON_PASS : Mode.BYTES_PASS;
        }
    }

    private void startStream() {
        attempt.streamOpened(ctx.meter());
        org.eclipse.jetty.server.Response client = attempt.response();
        client.setStatus(200);
        client.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        client.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        client.getHeaders().put("X-Accel-Buffering", "no");
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        if (!isStreamMode()) {
            lastUpstreamNanos = System.nanoTime();
        }
        ByteBuffer in = chunk.getByteBuffer();
        try {
            switch (mode) {
                case JSON_PASS, BYTES_PASS -> {
                    if (scanner != null) {
                        byte[] copy = new byte[in.remaining()];
                        in.duplicate().get(copy);
                        attempt.generated().addBody(copy);
                        scanner.feed(copy);
                    }
                    passOn(chunk, in, demander);
                }
                case SSE_PASS, SSE_TRANSLATE, SSE_ASSEMBLE -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    sse.feed(in, ev -> onEvent(ev, out));
                    if (out.size() > 0) {
                        writer.write(ByteBuffer.wrap(out.toByteArray()), false, demandAfter(demander));
                    } else {
                        demander.run();
                    }
                }
                case BUFFER_ERROR, BUFFER_TRANSLATE -> {
                    int limit = mode == Mode.BUFFER_ERROR ? MAX_ERROR_BODY
                            : (int) Math.min(Integer.MAX_VALUE - 8, ctx.limits().maxBody() * 2);
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
        } catch (IllegalStateException e) {
            // An event over the size limit.
            abort(e);
        }
    }

    /** Handles one upstream event; what the client gets goes to {@code out}. */
    private void onEvent(SseEvent ev, ByteArrayOutputStream out) {
        // timeout.idle is the silence between events: an upstream's comment lines do not count as progress.
        lastUpstreamNanos = System.nanoTime();
        if (sawDone) {
            return;
        }
        if (translator != null) {
            try {
                if (translator.finished()) {
                    return;
                }
                long start = ctx.plugins().start();
                translator.onEvent(ev, chunk -> deliver(chunk, out));
                ctx.plugins().took(candidate, "StreamTranslator.onEvent", start);
            } catch (UpstreamErrorException e) {
                throw new StreamFailure(e.error());
            } catch (Throwable e) {
                // The plugin's bug, or a LinkageError from its bundle going away mid-stream.
                throw new StreamFailure(PluginErrors.verdict(candidate, e, "StreamTranslator.onEvent", channelKey));
            }
            return;
        }
        String data = ev.data();
        if (data.equals("[DONE]")) {
            sawDone = true;
            if (mode == Mode.SSE_PASS) {
                finalUsageChunk(out);
                out.writeBytes(DONE);
            }
            return;
        }
        attempt.generated().add(data);
        if (mode == Mode.SSE_ASSEMBLE) {
            JsonNode node = parse(data);
            if (node != null) {
                readUsage(node);
                assembler.add(node);
            }
            return;
        }
        if (mentionsUsage(data)) {
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

    /** Whether a chunk may carry usage; OpenAI's {@code "usage":null} on every chunk needs no parse. */
    private static boolean mentionsUsage(String data) {
        int at = data.indexOf("\"usage\"");
        return at >= 0 && !(data.startsWith("null", at + 8) && data.indexOf("\"usage\"", at + 1) < 0);
    }

    /**
     * Reads usage from a pass-through chunk. OpenAI shows usage only in the final chunk ({@code choices: []})
     * of a client that asked; vendors that repeat cumulative usage in every chunk get it removed from the
     * others. Returns the data to send, or null to drop the event.
     */
    private String inspect(String data) {
        JsonNode node = parse(data);
        if (!(node instanceof ObjectNode o) || !o.hasNonNull("usage")) {
            return data;
        }
        readUsage(o);
        JsonNode choices = o.get("choices");
        if (choices instanceof ArrayNode a && a.isEmpty()) {
            if (attempt.relayRequest().includeUsage() && !usageChunkSent) {
                usageChunkSent = true;
                return data;
            }
            return null;
        }
        o.remove("usage");
        return o.toString();
    }

    private void readUsage(JsonNode node) {
        Usage u = UsageReader.read(node.get("usage"));
        if (u != null) {
            usage = u;
        }
    }

    private static JsonNode parse(String data) {
        try {
            return Json.MAPPER.readTree(data);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void deliver(JsonNode chunk, ByteArrayOutputStream out) {
        attempt.generated().add(chunk);
        if (assembler != null) {
            assembler.add(chunk);
            return;
        }
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

    /** The usage chunk for a client that asked, when the upstream gave usage but no such chunk. */
    private void finalUsageChunk(ByteArrayOutputStream out) {
        if (attempt.relayRequest().includeUsage() && !usageChunkSent && !usage.equals(Usage.NONE)) {
            usageChunkSent = true;
            writeData(usageChunk().toString(), out);
        }
    }

    @Override
    public void onComplete(Result result) {
        nextLookNanos = Long.MAX_VALUE;
        watchdog.release(this);
        try {
            if (result.isFailed()) {
                failed(result.getFailure());
            } else {
                succeeded();
            }
        } catch (RuntimeException e) {
            LOG.error("request {}: relaying the answer failed: {}", attempt.requestId(), e.toString(), e);
            end(RelayError.of(500, "internal_error", "internal error; the request id is " + attempt.requestId()));
        }
    }

    private void succeeded() {
        switch (mode) {
            case BUFFER_ERROR -> {
                UpstreamError e;
                long start = ctx.plugins().start();
                try {
                    e = candidate.adapter().adapter().translateError(upstreamStatus, upstreamType,
                            buffer.toByteArray());
                    ctx.plugins().took(candidate, "translateError", start);
                } catch (RuntimeException x) {
                    e = PluginErrors.verdict(candidate, x, "translateError", channelKey);
                }
                failBeforeFirstByte(upstreamError(e), e, false);
            }
            case BUFFER_TRANSLATE -> translated();
            case JSON_PASS, BYTES_PASS -> {
                if (scanner != null && scanner.usage() != null) {
                    usage = scanner.usage();
                }
                writer.write(ByteBuffer.allocate(0), true, attempt.callback());
                settle(upstreamStatus, null);
            }
            case SSE_ASSEMBLE -> {
                try {
                    sse.finish(ev -> onEvent(ev, new ByteArrayOutputStream()));
                    endTranslator(assembler::add);
                } catch (StreamFailure e) {
                    failBeforeFirstByte(upstreamError(e.error), e.error, false);
                    return;
                }
                ObjectNode body = assembler.result("chatcmpl-" + attempt.requestId(),
                        attempt.relayRequest().model());
                if (!body.has("usage") && !usage.equals(Usage.NONE)) {
                    body.set("usage", usageChunk().get("usage"));
                }
                answerJson(body);
            }
            case SSE_PASS, SSE_TRANSLATE -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    sse.finish(ev -> onEvent(ev, out));
                    endTranslator(chunk -> deliver(chunk, out));
                } catch (StreamFailure e) {
                    streamError(upstreamError(e.error), out);
                    return;
                }
                if (!sawDone) {
                    finalUsageChunk(out);
                    out.writeBytes(DONE);
                }
                writer.write(ByteBuffer.wrap(out.toByteArray()), true, attempt.callback());
                settle(200, null);
            }
            default -> failBeforeFirstByte(RelayError.of(502, "upstream_error", "the upstream answered nothing"),
                    null, false);
        }
    }

    private void translated() {
        try {
            JsonNode body = Json.MAPPER.readTree(buffer.toByteArray());
            long start = ctx.plugins().start();
            TranslatedResponse t = candidate.adapter().adapter().translateResponse(attempt.relayRequest(),
                    upstreamStatus, body);
            ctx.plugins().took(candidate, "translateResponse", start);
            usage = t.usage() == null ? Usage.NONE : t.usage();
            attempt.generated().add(t.body());
            answerJson(t.body());
        } catch (UpstreamErrorException e) {
            failBeforeFirstByte(upstreamError(e.error()), e.error(), false);
        } catch (dev.switchboard.core.adapter.PluginFailure e) {
            UpstreamError verdict = PluginErrors.verdict(candidate, e, "translateResponse", channelKey);
            failBeforeFirstByte(upstreamError(verdict), verdict, false);
        } catch (java.io.IOException | RuntimeException e) {
            UpstreamError verdict = UpstreamError.builder(502, "upstream_error", "[channel "
                    + candidate.channel().id() + "] the " + candidate.channel().type()
                    + " answer could not be translated (" + e.getClass().getSimpleName() + ")").retryable(true).build();
            failBeforeFirstByte(upstreamError(verdict), verdict, false);
        }
    }

    private void answerJson(JsonNode body) {
        byte[] bytes = Json.bytes(body);
        org.eclipse.jetty.server.Response client = attempt.response();
        client.setStatus(200);
        client.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        client.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        writer.write(ByteBuffer.wrap(bytes), true, attempt.callback());
        settle(200, null);
    }

    private void failed(Throwable failure) {
        if (failure instanceof ClientGone) {
            clientGone = true;
            attempt.callback().failed(failure);
            settle(499, "the client disconnected");
            return;
        }
        if (failure instanceof StreamFailure sf) {
            end(upstreamError(sf.error), sf.error, false);
            return;
        }
        String where = "[channel " + candidate.channel().id() + "] ";
        boolean timedOut = failure instanceof java.util.concurrent.TimeoutException;
        RelayError e;
        if (timedOut) {
            String what = failure instanceof UpstreamTimeout ? failure.getMessage() : "the call timed out";
            e = new RelayError(504, "upstream_error", "upstream_timeout", null, where + "upstream timed out: "
                    + what, null, candidate.channel().id());
        } else {
            String what = failure instanceof ConnectException ? "connection refused"
                    : failure.getMessage() != null && failure.getMessage().contains("larger than")
                    ? failure.getMessage() : "connection failed (" + failure.getClass().getSimpleName() + ")";
            e = new RelayError(502, "upstream_error", "upstream_error", null, where + "upstream " + what, null,
                    candidate.channel().id());
        }
        end(e, null, timedOut);
    }

    private void end(RelayError e) {
        end(e, null, false);
    }

    /** Inside a started stream, an error event; before the first byte, the dispatch decides. */
    private void end(RelayError e, UpstreamError verdict, boolean timedOut) {
        if (attempt.response().isCommitted()) {
            if (mode == Mode.SSE_PASS || mode == Mode.SSE_TRANSLATE) {
                streamError(e, new ByteArrayOutputStream());
            } else {
                // Half a body cannot be mended: cut the connection so the client sees the failure.
                attempt.callback().failed(e);
                settle(e.status(), e.getMessage());
            }
            return;
        }
        failBeforeFirstByte(e, verdict, timedOut);
    }

    private void failBeforeFirstByte(RelayError e, UpstreamError verdict, boolean timedOut) {
        RelayError answer = attempt.dispatch() == null ? e
                : attempt.dispatch().failed(candidate, e, verdict, timedOut, upstreamStatus);
        if (answer == null) {
            return;
        }
        attempt.close();
        attempt.respond(answer);
        settle(answer.status(), answer.getMessage());
    }

    /**
     * Ends a started stream with an error event and {@code [DONE]}, as the relay contract says. What was
     * generated up to the break is billed.
     */
    private void streamError(RelayError e, ByteArrayOutputStream out) {
        Usage seen = translatorUsage();
        if (seen != null && !seen.equals(Usage.NONE)) {
            usage = seen;
        }
        writeData(e.body().toString(), out);
        out.writeBytes(DONE);
        writer.write(ByteBuffer.wrap(out.toByteArray()), true, attempt.callback());
        settle(200, e.getMessage());
    }

    /** The translator's end of stream, and the usage it saw; what it throws fails the stream, naming the plugin. */
    private void endTranslator(dev.switchboard.api.provider.StreamSink sink) {
        if (translator == null) {
            return;
        }
        try {
            long start = ctx.plugins().start();
            translator.onEnd(sink);
            Usage u = translator.usage();
            ctx.plugins().took(candidate, "StreamTranslator.onEnd", start);
            usage = u == null ? Usage.NONE : u;
        } catch (StreamFailure e) {
            throw e;
        } catch (Throwable e) {
            throw new StreamFailure(PluginErrors.verdict(candidate, e, "StreamTranslator.onEnd", channelKey));
        }
    }

    /** @return the usage a translator saw so far, or null without one (or when asking it fails) */
    private Usage translatorUsage() {
        try {
            return translator == null ? null : translator.usage();
        } catch (Throwable e) {
            PluginErrors.verdict(candidate, e, "StreamTranslator.usage", channelKey);
            return null;
        }
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

    private RelayError upstreamError(UpstreamError e) {
        return RelayError.upstream(e, candidate.channel().id(), channelKey);
    }

    private void settle(int status, String error) {
        attempt.close();
        if (attempt.dispatch() != null) {
            attempt.dispatch().finished(candidate, upstreamStatus, error, clientGone);
        }
        long firstByteMs = firstByteNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstByteNanos - startNanos);
        attempt.settle(ctx.outcomes(), candidate.channel().id(), candidate.upstreamModel(), status, usage,
                firstByteMs, error);
    }

    /** @param d a duration @return it as messages show it: {@code 300 s}, or {@code 500 ms} below a second */
    static String text(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 || ms > 10_000 ? d.toSeconds() + " s" : ms + " ms";
    }

    private Callback demandAfter(Runnable demander) {
        return Callback.from(demander, x -> abort(new ClientGone(x)));
    }

    /**
     * Relays a pass-through chunk's bytes. Jetty releases the chunk once {@link #onContent} returns, while the
     * client's write may finish later: the chunk is retained until then rather than its bytes copied.
     */
    private void passOn(Content.Chunk chunk, ByteBuffer in, Runnable demander) {
        if (!chunk.canRetain()) {
            writer.write(copy(in), false, demandAfter(demander));
            return;
        }
        chunk.retain();
        writer.write(in, false, Callback.from(() -> {
            chunk.release();
            demander.run();
        }, x -> {
            chunk.release();
            abort(new ClientGone(x));
        }));
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
