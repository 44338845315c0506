package dev.switchboard.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose answers complete on another thread (as every relayed answer does, on the upstream client's)
 * waits for its next request on its selector ({@link ServerThreads}): every next request is still read and
 * answered, in order, however it arrives.
 */
class ServerThreadsTest {

    private final ScheduledExecutorService upstream = Executors.newSingleThreadScheduledExecutor();
    private GatewayServer server;

    @BeforeEach
    void start() throws Exception {
        Handler answersLater = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                upstream.schedule(() -> Content.Sink.write(response, true, "answer to " + path, callback), 1,
                        TimeUnit.MILLISECONDS);
                return true;
            }
        };
        server = new GatewayServer("127.0.0.1", 0, Duration.ofSeconds(5), answersLater);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        upstream.shutdownNow();
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one answer with a Content-Length; returns its body. */
    private static String answer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200 OK", text.lines().findFirst().orElse(""), text);
        int length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 200; i++) {
                out.write(get("/v1/" + i));
                assertEquals("answer to /v1/" + i, answer(s.getInputStream()));
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            ByteArrayOutputStream five = new ByteArrayOutputStream();
            for (int i = 0; i < 5; i++) {
                five.write(get("/p/" + i));
            }
            s.getOutputStream().write(five.toByteArray());
            for (int i = 0; i < 5; i++) {
                assertEquals("answer to /p/" + i, answer(s.getInputStream()));
            }
        }
    }

    @Test
    void aNextRequestThatComesLateAndInPiecesIsAnswered() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(get("/first"));
            assertEquals("answer to /first", answer(s.getInputStream()));
            Thread.sleep(100);
            byte[] next = get("/second");
            out.write(next, 0, 10);
            out.flush();
            Thread.sleep(50);
            out.write(next, 10, next.length - 10);
            assertEquals("answer to /second", answer(s.getInputStream()));
        }
    }
}
