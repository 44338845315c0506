package dev.switchboard.plugin.qianfan;

import dev.switchboard.testkit.JdkUpstreamClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.plugin.qianfan.fake.FakeQianfan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 100 requests arriving together on a cold v1 channel cause exactly one token exchange. */
@Timeout(60)
class ColdStartTest {

    private final FakeQianfan fake = FakeQianfan.start().tokenDelay(Duration.ofMillis(500));
    private final ExecutorService pool = Executors.newFixedThreadPool(100);

    @AfterEach
    void stop() {
        pool.shutdownNow();
        fake.close();
    }

    @Test
    void oneHundredConcurrentColdPreparesMakeOneTokenExchange() throws Exception {
        QianfanAdapter adapter = new QianfanAdapter();
        JdkUpstreamClient client = new JdkUpstreamClient();
        TestChannel channel = TestChannel.v1(1, fake.v1Key(), fake.baseUrl());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<UpstreamCall>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<UpstreamCall> call = new CompletableFuture<>();
            calls.add(call);
            pool.execute(() -> {
                try {
                    go.await();
                    TestRequest r = TestRequest.chat("{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"Hi\"}]}");
                    adapter.prepare(r, channel, client).whenComplete((c, e) -> {
                        if (e != null) {
                            call.completeExceptionally(e);
                        } else {
                            call.complete(c);
                        }
                    });
                } catch (InterruptedException e) {
                    call.completeExceptionally(e);
                }
            });
        }
        go.countDown();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertEquals(1, fake.tokenExchanges(), "one exchange for 100 cold requests");
        assertEquals(1, client.sent(), "one side call");
        Set<String> urls = new HashSet<>();
        for (CompletableFuture<UpstreamCall> c : calls) {
            urls.add(c.get().url());
        }
        assertEquals(1, urls.size(), "all share the one token");
        String url = urls.iterator().next();
        assertTrue(url.startsWith(fake.baseUrl() + "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro"
                + "?access_token=24."), url);

        // Warm: more requests, no more exchanges.
        for (int i = 0; i < 20; i++) {
            adapter.prepare(TestRequest.chat("{\"model\":\"ERNIE-4.0-8K\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Hi\"}]}"), channel, client).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertEquals(1, fake.tokenExchanges());
    }
}
