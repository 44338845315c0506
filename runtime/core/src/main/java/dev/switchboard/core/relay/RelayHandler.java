package dev.switchboard.core.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.ratelimit.Decision;
import dev.switchboard.core.ratelimit.RateLimits;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.routing.ChannelRouter;
import dev.switchboard.core.routing.NoChannelException;
import dev.switchboard.core.server.Answers;
import dev.switchboard.core.server.GatewayHandler;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.token.Tokens;
import dev.switchboard.core.upstream.ChannelSnapshot;
import dev.switchboard.core.upstream.SideCalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /v1/}: routes, auth, body reading and checks, channel choice, then hands the call to an
 * {@link Exchange}. Never blocks: bodies are read asynchronously and adapters answer with stages.
 */
public final class RelayHandler extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger(RelayHandler.class);
    static final String PIN_HEADER = "X-Switchboard-Channel";
    /**
     * Requests run on the thread that read them, often Jetty's selector, which serves other connections too; a
     * body larger than this (a big embeddings batch: parsing it and estimating its tokens take milliseconds) is
     * handled on a worker thread instead, so it does not hold up the small requests behind it.
     */
    static final int INLINE_BODY = 64 * 1024;

    private final TokenAuth auth;
    private final ChannelRouter router;
    private final Channels channels;
    private final RelayContext ctx;
    private final Cors cors;
    private final Path spoolDir;
    private final ObjectReader trees;
    private final ModelsEndpoint models;
    private final RateLimits rateLimits;
    private final Watchdog watchdog;

    /**
     * A relay without rate limits.
     *
     * @param tokens the relay tokens
     * @param router picks channels
     * @param channels the channels (for their keys)
     * @param ctx limits, clients, scheduler and outcome sink
     * @param corsOrigins allowed browser origins, empty for none
     * @param spoolDir where large uploads are spooled
     */
    public RelayHandler(Tokens tokens, ChannelRouter router, Channels channels, RelayContext ctx,
            java.util.List<String> corsOrigins, Path spoolDir) {
        this(tokens, router, channels, ctx, corsOrigins, spoolDir, RateLimits.none());
    }

    /**
     * @param tokens the relay tokens
     * @param router picks channels
     * @param channels the channels (for their keys)
     * @param ctx limits, clients, scheduler and outcome sink
     * @param corsOrigins allowed browser origins, empty for none
     * @param spoolDir where large uploads are spooled
     * @param rateLimits the tokens' rate limits
     */
    public RelayHandler(Tokens tokens, ChannelRouter router, Channels channels, RelayContext ctx,
            java.util.List<String> corsOrigins, Path spoolDir, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.watchdog = new Watchdog(ctx.scheduler());
        this.auth = new TokenAuth(tokens);
        this.router = router;
        this.channels = channels;
        this.ctx = ctx;
        this.cors = new Cors(corsOrigins);
        this.spoolDir = spoolDir;
        this.models = new ModelsEndpoint(router, ctx.admission());
        int max = (int) Math.min(Integer.MAX_VALUE - 8, ctx.limits().maxBody());
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(ctx.limits().maxDepth()).maxStringLength(max).build()).build();
        this.trees = RelayBody.treeReader(JsonMapper.builder(factory).build());
    }

    static String group(TokenRecord t) {
        return t.group() == null ? "default" : t.group();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (cors.preflight(request, response)) {
            response.write(true, null, callback);
            return true;
        }
        cors.apply(request, response);
        Attempt a = new Attempt(request, response, callback, (String) request.getAttribute(GatewayHandler.REQUEST_ID));
        try {
            dispatch(a);
        } catch (RelayError e) {
            a.close();
            a.respond(e);
            settleOrCount(a, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            // The root handler answers 500 with its own callback: give back what the request holds first.
            settleOrCount(a, 500, "internal error");
            throw e;
        }
        return true;
    }

    /** A request answered with an error: settled (logged) once its token is known, else only counted. */
    private void settleOrCount(Attempt a, int status, String error) {
        if (a.token() == null) {
            ctx.meter().refusedBeforeToken(status);
        } else {
            a.settle(ctx.outcomes(), 0, null, status, Usage.NONE, -1, error);
        }
    }

    private void dispatch(Attempt a) {
        Request request = a.request();
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
            requireMethod(a, "GET", path);
            TokenRecord t = auth.authenticate(request);
            ObjectNode body = path.equals("/v1/models") ? models.list(t)
                    : models.one(t, modelId(path.substring("/v1/models/".length())));
            Answers.json(a.response(), a.callback(), 200, body);
            return;
        }
        RelayRoute route = RelayRoute.post(path);
        if (route == null) {
            throw RelayError.of(404, "unknown_url", "Unknown request URL: " + method + " " + path
                    + ". Please check the URL for typos.");
        }
        requireMethod(a, "POST", path);
        TokenRecord token = auth.authenticate(request);
        a.token(token);
        Long pin = pinned(request, token);
        if (!limit(a, token, false)) {
            // The token's slice of the minute is empty and the next is leased from the shared database: that wait
            // must not hold the thread that read the request, which the relay's other requests share.
            offThisThread(request, () -> guarded(a, () -> {
                limit(a, token, true);
                read(a, route, pin);
            }));
            return;
        }
        read(a, route, pin);
    }

    /** Reads the body (JSON, or a multipart upload spooled to disk), then relays it. */
    private void read(Attempt a, RelayRoute route, Long pin) {
        Request request = a.request();
        long declared = request.getLength();
        long limit = route.multipart() ? ctx.limits().maxAudio() : ctx.limits().maxBody();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        if (route.multipart()) {
            MultipartUpload.read(request, ctx.limits(), spoolDir).whenComplete((upload, failure) ->
                    offThisThread(request, () -> guarded(a, () -> {
                        if (failure != null) {
                            throw unreadable(failure, limit);
                        }
                        a.resources(upload);
                        onUpload(a, route, upload, pin);
                    })));
        } else {
            Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, limit))
                    .whenComplete((bytes, failure) -> {
                        Runnable next = () -> guarded(a, () -> {
                            if (failure != null) {
                                throw unreadable(failure, limit);
                            }
                            onJson(a, route, RelayBody.parse(bytes, trees), pin);
                        });
                        if (bytes != null && bytes.length > INLINE_BODY) {
                            offThisThread(request, next);
                        } else {
                            next.run();
                        }
                    });
        }
    }

    private void onJson(Attempt a, RelayRoute route, RelayBody body, Long pin) {
        ObjectNode tree = body.tree();
        String model = BodyRules.check(route.operation(), tree);
        TokenAuth.checkModel(a.token(), model);
        admit(a, model, route.operation(), tree, Map.of());
        boolean stream = route.streamable() && tree.path("stream").asBoolean(false);
        boolean includeUsage = stream && tree.path("stream_options").path("include_usage").asBoolean(false);
        dispatch(a, model, pin != null, candidates(a, model, route.operation(), pin), (c, channel) ->
                new ClientRequest(route.operation(), model, c.upstreamModel(), stream, includeUsage, tree, Map.of(),
                        a.requestId(), channel),
                (c, call) ->
                call.isPassThrough()
                        // The gateway bills streams, so it asks for usage whatever the client asked.
                        ? new BytesRequestContent("application/json", body.forUpstream(c.upstreamModel(), stream))
                        : call.body() == null ? null : new BytesRequestContent(call.contentType(), call.body()));
    }

    private void onUpload(Attempt a, RelayRoute route, MultipartUpload upload, Long pin) {
        String model = upload.fields().get("model");
        if (model == null || model.isBlank()) {
            throw RelayError.invalid("missing_field", "model", "model is required (a form field)");
        }
        if (!upload.hasFile()) {
            throw RelayError.invalid("missing_field", "file", "file is required (a form field with a file)");
        }
        TokenAuth.checkModel(a.token(), model);
        Map<String, String> fields = Map.copyOf(upload.fields());
        admit(a, model, route.operation(), Json.object(), fields);
        dispatch(a, model, pin != null, candidates(a, model, route.operation(), pin), (c, channel) ->
                new ClientRequest(route.operation(), model, c.upstreamModel(), false, false, Json.object(), fields,
                        a.requestId(), channel),
                (c, call) -> upload.forUpstream(c.upstreamModel()));
    }

    /** The accounting's check before dispatch (owner, price, quota); its hold is settled with the outcome. */
    private void admit(Attempt a, String model, Operation op, com.fasterxml.jackson.databind.JsonNode body,
            Map<String, String> fields) {
        a.model(model);
        try {
            a.hold(ctx.admission().admit(a.token(), model, op, body, fields));
        } catch (Admission.Refused r) {
            throw r.toError();
        }
    }

    private List<Candidate> candidates(Attempt a, String model, Operation op, Long pin) {
        try {
            return router.route(a.group(), model, op, pin);
        } catch (NoChannelException e) {
            throw e.unknownModel() ? RelayError.of(404, "model_not_found", e.getMessage())
                    : RelayError.typed(503, "server_error", "no_available_channel", e.getMessage());
        }
    }

    /** Tries the candidates in order, as the request's {@link Dispatch} decides. */
    private void dispatch(Attempt a, String model, boolean pinned, List<Candidate> candidates,
            BiFunction<Candidate, ChannelSnapshot, ClientRequest> requestFor,
            BiFunction<Candidate, UpstreamCall, org.eclipse.jetty.client.Request.Content> body) {
        Dispatch d = new Dispatch(candidates, model, pinned, a.startNanos(), ctx, c -> {
            resetAnswer(a);
            String key;
            ChannelSnapshot channel;
            try {
                channel = channels.snapshot(c.channel(), c.adapter().adapter().channelType());
                key = channel.key();
            } catch (RuntimeException e) {
                // A key that cannot be opened: this channel cannot serve.
                LOG.warn("channel {}: its key could not be opened: {}", c.channel().id(), e.toString());
                a.relayRequest(requestFor.apply(c, null));
                answerUnlessRetried(a, c, a.dispatch().failed(c, new RelayError(502, "upstream_error",
                        "upstream_error", null, "[channel " + c.channel().id() + "] the channel's key could not be "
                        + "opened", null, c.channel().id()), null, false));
                return;
            }
            a.relayRequest(requestFor.apply(c, channel));
            prepare(a, c, channel, key, call -> body.apply(c, call));
        });
        a.dispatch(d);
        d.start();
    }

    /** What a failed attempt may have set on the answer is not the next attempt's. */
    private static void resetAnswer(Attempt a) {
        Response r = a.response();
        r.setStatus(200);
        r.getHeaders().remove(HttpHeader.CONTENT_TYPE);
        r.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
        r.getHeaders().remove(HttpHeader.CACHE_CONTROL);
        r.getHeaders().remove("X-Accel-Buffering");
    }

    private void prepare(Attempt a, Candidate c, ChannelSnapshot channel, String key, Function<UpstreamCall,
            org.eclipse.jetty.client.Request.Content> body) {
        ProviderAdapter adapter = c.adapter().adapter();
        CompletionStage<UpstreamCall> prepared;
        try {
            Long connectMs = c.channel().timeoutsOrNone().connectMs();
            SideCalls side = new SideCalls(ctx.clients().forChannel(c.channel().proxy(),
                    connectMs == null ? null : java.time.Duration.ofMillis(connectMs)), ctx.limits().total());
            // Contained: whatever the plugin throws comes back as a failed stage.
            long start = ctx.plugins().start();
            prepared = adapter.prepare(a.relayRequest(), channel, side);
            ctx.plugins().took(c, "prepare", start);
        } catch (RuntimeException e) {
            prepared = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        java.util.function.BiConsumer<UpstreamCall, Throwable> then = (call, failure) -> guarded(a, () -> {
            if (failure != null) {
                prepareFailedOn(a, c, failure, key, false);
            } else if (call == null) {
                prepareFailedOn(a, c, new NullPointerException("the stage completed with no call"), key, false);
            } else {
                new Exchange(ctx, watchdog, a, c, call, key).start(body.apply(call));
            }
        });
        if (prepared instanceof java.util.concurrent.CompletableFuture<UpstreamCall> f && f.isDone()) {
            // A synchronous adapter: nothing to wait for, so no timer.
            f.whenComplete(then);
            return;
        }
        // A stage the plugin never completes is cut like an upstream that never answers: by the first-byte
        // timeout, or the request's own budget if that ends sooner.
        java.time.Duration firstByte = Timeouts.of(ctx.limits(), c.channel().timeouts()).firstByte();
        long budget = a.dispatch().deadline() - System.nanoTime();
        boolean budgetFirst = budget < firstByte.toNanos();
        PrepareWatch.await(prepared, budgetFirst ? java.time.Duration.ofNanos(Math.max(0, budget)) : firstByte,
                ctx.scheduler(), then, () -> guarded(a, () -> prepareFailedOn(a, c, new UpstreamTimeout("the plugin "
                + c.adapter().plugin() + " did not prepare the call within "
                + Exchange.text(budgetFirst ? ctx.limits().maxTime() : firstByte)
                + (budgetFirst ? " (retry.max_time)" : " (timeout.first_byte)")), key, true)));
    }

    /**
     * A call that could not be prepared goes to the dispatch like any failure before the first byte: the
     * adapter's verdict, a plugin's failure (named), or the plugin's time running out.
     */
    private void prepareFailedOn(Attempt a, Candidate c, Throwable failure, String key, boolean timedOut) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        UpstreamError verdict = f instanceof UpstreamErrorException u ? u.error()
                : timedOut ? null : PluginErrors.verdict(c, f, "prepare", key);
        RelayError error = timedOut ? new RelayError(504, "upstream_error", "upstream_timeout", null, "[channel "
                + c.channel().id() + "] " + f.getMessage(), null, c.channel().id())
                : RelayError.upstream(verdict, c.channel().id(), key);
        answerUnlessRetried(a, c, a.dispatch().failed(c, error, timedOut ? null : verdict, timedOut));
    }

    private void answerUnlessRetried(Attempt a, Candidate c, RelayError answer) {
        if (answer != null) {
            a.close();
            a.respond(answer);
            a.settle(ctx.outcomes(), c.channel().id(), c.upstreamModel(), answer.status(), Usage.NONE, -1,
                    answer.getMessage());
        }
    }

    private static void offThisThread(Request request, Runnable step) {
        request.getComponents().getExecutor().execute(step);
    }

    /** Runs a step of the request; any failure becomes its answer, and nothing escapes to Jetty. */
    private void guarded(Attempt a, Runnable step) {
        try {
            step.run();
        } catch (RelayError e) {
            a.close();
            a.respond(e);
            settleOrCount(a, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            a.close();
            LOG.error("request {} failed: {}", a.requestId(), e.toString(), e);
            a.respond(RelayError.of(500, "internal_error", "internal error; the request id is " + a.requestId()));
            settleOrCount(a, 500, "internal error");
        }
    }

    /** The id in the raw path: SDKs percent-encode it ('/' as %2F, ':' as %3A). */
    private static String modelId(String raw) {
        try {
            return URIUtil.decodePath(raw);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static void requireMethod(Attempt a, String method, String path) {
        if (!a.request().getMethod().equals(method)) {
            a.response().getHeaders().put(HttpHeader.ALLOW, method);
            throw RelayError.of(405, "method_not_allowed", a.request().getMethod() + " is not allowed on " + path
                    + "; use " + method);
        }
    }

    /**
     * The token's rate limits: their headers on every answer; over a limit, 429 with {@code Retry-After}.
     *
     * @return false, deciding nothing, when the decision must wait for the shared database and {@code mayWait} is
     *         false
     */
    private boolean limit(Attempt a, TokenRecord token, boolean mayWait) {
        Decision d = rateLimits.admit(token, mayWait);
        if (d.mustWait()) {
            return false;
        }
        d.headers(a.response().getHeaders()::put);
        if (!d.allowed()) {
            a.response().getHeaders().put(HttpHeader.RETRY_AFTER, d.retryAfterSeconds());
            throw RelayError.typed(429, "rate_limit_exceeded", "rate_limit_exceeded", d.refusal());
        }
        a.limits(d);
        return true;
    }

    private Long pinned(Request request, TokenRecord token) {
        String pin = request.getHeaders().get(PIN_HEADER);
        if (pin == null || pin.isBlank()) {
            return null;
        }
        if (!ctx.admission().mayPin(token)) {
            throw RelayError.typed(403, "permission_error", "channel_pin_forbidden",
                    PIN_HEADER + " may only be used by an admin's token");
        }
        try {
            return Long.parseLong(pin.trim());
        } catch (NumberFormatException e) {
            throw RelayError.invalid("invalid_value", null, PIN_HEADER + " must be a channel id");
        }
    }

    private static RelayError tooLarge(long limit) {
        return RelayError.of(413, "body_too_large", "the request body is larger than the limit of " + limit
                + " bytes");
    }

    private static RelayError unreadable(Throwable failure, long limit) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String m = String.valueOf(f.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("max") || m.contains("too large") || m.contains("exceed") || m.contains("limit")) {
            return tooLarge(limit);
        }
        return RelayError.invalid("invalid_body", null, "the request body could not be read: "
                + f.getClass().getSimpleName());
    }
}
