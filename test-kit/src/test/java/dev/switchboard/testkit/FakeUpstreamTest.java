package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeUpstreamTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(FakeUpstream up, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(up.baseUrl() + path))
                .header("Authorization", "Bearer k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersQueuedRepliesFirstThenTheStandingOneAndRecordsRequests() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/x", Reply.json("{\"n\":0}"));
            up.enqueue("/x", Reply.json(500, "{\"n\":1}"), Reply.error(503, "text/html", "<b>busy</b>"));
            HttpResponse<String> a = post(up, "/x", "{\"a\":1}");
            HttpResponse<String> b = post(up, "/x", "{}");
            HttpResponse<String> c = post(up, "/x", "{}");
            assertEquals(500, a.statusCode());
            assertEquals("{\"n\":1}", a.body());
            assertEquals(503, b.statusCode());
            assertEquals("text/html", b.headers().firstValue("Content-Type").orElse(null));
            assertEquals(200, c.statusCode());
            assertEquals(3, up.requests("/x").size());
            RecordedRequest first = up.requests().get(0);
            assertEquals("POST", first.method());
            assertEquals("Bearer k", first.header("authorization"));
            assertEquals(1, first.json().path("a").asInt());
        }
    }

    @Test
    void anUnscriptedPathIs404NamingIt() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            HttpResponse<String> r = post(up, "/nowhere", "{}");
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("/nowhere"), r.body());
        }
    }

    @Test
    void streamsFramesAsTheyComeWithPausesBetween() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/s", Reply.sse().data("one").pause(Duration.ofMillis(500)).data("two").done().build());
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/s")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(null));
            List<String> data = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            long start = System.nanoTime();
            SseReader.read(r.body(), ev -> {
                data.add(ev.data());
                at.add((System.nanoTime() - start) / 1_000_000);
            });
            assertEquals(List.of("one", "two", "[DONE]"), data);
            // Order, not speed: the first event arrived before the pause ended.
            assertTrue(at.get(1) - at.get(0) >= 400, "events " + at);
        }
    }

    @Test
    void rawFramesMayCutAnEventInTwo() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            up.on("/s", Reply.sse().frame("data: {\"a\":").pause(Duration.ofMillis(50)).frame("1}\n\n").build());
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(up.baseUrl() + "/s")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("data: {\"a\":1}\n\n", new String(r.body(), StandardCharsets.UTF_8));
        }
    }
}
