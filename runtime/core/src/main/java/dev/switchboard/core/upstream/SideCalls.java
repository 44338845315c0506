package dev.switchboard.core.upstream;

import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * The {@link UpstreamClient} adapters get: small calls answered whole, on the channel's client (its proxy),
 * bounded in size and time. Failures carry no URL (a query string may hold a secret).
 */
public final class SideCalls implements UpstreamClient {

    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param client the channel's HTTP client
     * @param timeout the total time a side call may take
     */
    public SideCalls(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<SideCall.Result> send(SideCall call) {
        CompletableFuture<SideCall.Result> result = new CompletableFuture<>();
        Request request;
        try {
            request = client.newRequest(call.url()).method(call.method())
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("invalid side-call URL"));
        }
        request.headers(h -> call.headers().forEach(h::put));
        byte[] body = call.body();
        if (body != null) {
            request.body(new BytesRequestContent(call.contentType(), body));
        }
        request.send(new BufferingResponseListener(MAX_ANSWER) {
            @Override
            public void onComplete(org.eclipse.jetty.client.Result r) {
                if (r.isFailed()) {
                    Throwable f = r.getFailure();
                    result.completeExceptionally(new IOException(describe(f)));
                } else {
                    result.complete(new SideCall.Result(r.getResponse().getStatus(), getMediaType(), getContent()));
                }
            }
        });
        return result;
    }

    static String describe(Throwable failure) {
        if (failure instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        if (failure instanceof java.net.ConnectException) {
            return "connection refused";
        }
        String name = failure.getClass().getSimpleName();
        return name.isEmpty() ? "I/O failure" : name;
    }
}
