package dev.switchboard.plugin.qianfan;

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

/** The core's side-call client, as a test has it: java.net.http, asynchronous, counting its calls. */
final class JdkUpstreamClient implements UpstreamClient {

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public CompletionStage<SideCall.Result> send(SideCall call) {
        sent.incrementAndGet();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(20));
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
                    throw new CompletionException(f instanceof IOException ? f : new IOException(f.toString()));
                });
    }
}
