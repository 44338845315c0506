package dev.switchboard.testkit;

import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's side-call client as a test has it: {@code java.net.http}, asynchronous, HTTP/1.1, counting its
 * calls. Like the core's, a call that gets no answer fails its stage with an {@link IOException}.
 */
public final class JdkUpstreamClient implements UpstreamClient {

    private final HttpClient http;
    private final Duration timeout;
    private final AtomicInteger sent = new AtomicInteger();

    /** A client with a 5 s connect and a 20 s total timeout. */
    public JdkUpstreamClient() {
        this(Duration.ofSeconds(20));
    }

    /** @param timeout the total timeout of one call */
    public JdkUpstreamClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** @return the underlying client, for sending the main call */
    public HttpClient http() {
        return http;
    }

    /** @return how many side calls were sent */
    public int sent() {
        return sent.get();
    }

    @Override
    public CompletionStage<SideCall.Result> send(SideCall call) {
        sent.incrementAndGet();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(call.url())).timeout(timeout);
        call.headers().forEach(r::header);
        byte[] body = call.body();
        r.method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (call.contentType() != null) {
            r.header("Content-Type", call.contentType());
        }
        return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofByteArray())
                .<SideCall.Result>thenApply(a -> new SideCall.Result(a.statusCode(),
                        a.headers().firstValue("Content-Type").orElse(null), a.body()))
                .exceptionally(e -> {
                    Throwable f = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    throw new CompletionException(f instanceof IOException ? f : new IOException(f.toString(), f));
                });
    }
}
