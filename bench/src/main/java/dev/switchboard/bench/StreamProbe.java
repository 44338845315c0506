package dev.switchboard.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The streaming scenarios' client (wrk cannot time events). {@code timing <url> <token> <streams>}: that many
 * streams one after another; prints the time from sending to the first event and the gaps between events, p50 and
 * p99 in microseconds. {@code hold <url> <token> <streams>}: that many long streams (model {@code bench-hold}) open
 * at once; prints how many
 * opened (saw their first event), how many ended well, and how many failed.
 */
public final class StreamProbe {

    private static final String BODY = "{\"model\":\"%s\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to sixty-four.\"}]}";
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private StreamProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        String token = args[2];
        int streams = Integer.parseInt(args[3]);
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(streams + 16);
        client.setMaxRequestsQueuedPerDestination(streams + 16);
        client.setIdleTimeout(120_000);
        client.setConnectTimeout(10_000);
        client.start();
        try {
            if (mode.equals("timing")) {
                // The probe's own JVM warms up first (its HTTP client is timed too), the same for every target.
                timing(client, url, token, Math.min(streams, 3), false);
                timing(client, url, token, streams, true);
            } else {
                hold(client, url, token, streams);
            }
        } finally {
            client.stop();
        }
    }

    private static Request request(HttpClient client, String url, String token, String model) {
        return client.newRequest(url).method(HttpMethod.POST).headers(h -> {
            if (!token.isEmpty()) {
                h.put(HttpHeader.AUTHORIZATION, "Bearer " + token);
            }
        }).body(new StringRequestContent("application/json", String.format(BODY, model))).timeout(120, TimeUnit.SECONDS);
    }

    private static void timing(HttpClient client, String url, String token, int streams, boolean report)
            throws Exception {
        List<Long> firsts = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < streams; i++) {
            List<Long> times = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            int[] status = new int[1];
            long start = System.nanoTime();
            request(client, url, token, "bench-model").onResponseContent((r, buf) -> {
                long now = System.nanoTime();
                for (int k = 0; k < Bytes.count(buf, DATA); k++) {
                    times.add(now);
                }
            }).send((Result result) -> {
                status[0] = result.isFailed() ? -1 : result.getResponse().getStatus();
                done.countDown();
            });
            done.await(120, TimeUnit.SECONDS);
            if (status[0] != 200 || times.isEmpty()) {
                failed++;
                continue;
            }
            firsts.add(times.get(0) - start);
            // The last "data:" lines are the usage chunk and [DONE], sent with the end: not content events.
            for (int k = 1; k < times.size() - 2; k++) {
                gaps.add(times.get(k) - times.get(k - 1));
            }
        }
        if (!report) {
            return;
        }
        System.out.printf("streams=%d failed=%d first_p50_us=%d first_p99_us=%d gap_p50_us=%d gap_p99_us=%d "
                + "gaps=%d%n", streams, failed, pct(firsts, 50), pct(firsts, 99), pct(gaps, 50), pct(gaps, 99),
                gaps.size());
    }

    private static void hold(HttpClient client, String url, String token, int streams) throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch allOpen = new CountDownLatch(streams);
        CountDownLatch done = new CountDownLatch(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            boolean[] first = {true};
            request(client, url, token, "bench-hold").onResponseContent((Response r, ByteBuffer buf) -> {
                if (first[0]) {
                    first[0] = false;
                    opened.incrementAndGet();
                    allOpen.countDown();
                }
            }).send(result -> {
                if (!result.isFailed() && result.getResponse().getStatus() == 200) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    if (first[0]) {
                        allOpen.countDown();
                    }
                }
                done.countDown();
            });
        }
        boolean all = allOpen.await(120, TimeUnit.SECONDS);
        long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // The script samples the gateway's memory and CPU now, while every stream is open.
        System.out.println("all_open=" + all + " opened=" + opened.get() + " open_ms=" + openMs);
        System.out.flush();
        done.await(300, TimeUnit.SECONDS);
        System.out.println("streams=" + streams + " opened=" + opened.get() + " ok=" + ok.get() + " failed="
                + failed.get());
    }

    private static long pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1000;
    }
}
