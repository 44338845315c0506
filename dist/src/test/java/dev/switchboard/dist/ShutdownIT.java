package dev.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM: stop accepting, let requests in flight finish, commit and close the store, exit 0. */
@Timeout(90)
class ShutdownIT {

    private static final String TOKEN = "e2e-shutdown-admin-token";
    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final Pattern DRAINING = Pattern.compile("stopping: draining requests in flight");
    private static final Pattern CLOSED = Pattern.compile("the store is committed and closed");

    @TempDir
    Path tmp;

    private Distribution dist;

    @BeforeEach
    void copy() {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", TOKEN)
                .env("SWITCHBOARD_SHUTDOWN_GRACE", GRACE.toSeconds() + "s")
                .env("SWITCHBOARD_PLUGINS_POLL", "200ms");
    }

    @AfterEach
    void stop() {
        dist.close();
    }

    @Test
    void idleGatewayExitsZeroQuickly() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        assertEquals(200, sb.get("/api/channels", TOKEN).status());

        long t0 = System.nanoTime();
        sb.terminate();
        int status = sb.awaitExit(Duration.ofSeconds(10));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("[e2e] idle SIGTERM -> exit " + status + " after " + ms + " ms");
        assertEquals(0, status, sb.output());
        assertTrue(ms < 5000, "an idle gateway stops in well under the grace period; took " + ms + " ms");
        assertTrue(CLOSED.matcher(sb.stdout()).find(), "logs that the store is committed and closed" + sb.output());
    }

    @Test
    void aStopWhileTheCoreStartsWaitsForTheStartThenClosesCleanly() {
        // The core starts on a thread of its own while the plugins load: a SIGTERM then (here as soon as the
        // first plugin's channel type is in) lets the start finish and stops in order, exit 0.
        Distribution.Instance sb = dist.start();
        sb.awaitStdout(Pattern.compile("channel type '\\w+' available"), Distribution.START_DEADLINE);
        terminateExpectingACleanStop(sb);
    }

    @Test
    void aStopWhileTheFrameworkIsSetUpIsKeptUntilItHasStarted() {
        // Felix creates its cache in init(), before the system bundles are installed and the framework started: a
        // SIGTERM then used to meet the JVM's default handler (exit 143, nothing closed).
        Distribution.Instance sb = dist.start();
        Path felixCache = dist.home().resolve("data/cache/felix");
        Optional<Duration> initialised = Distribution.poll(Duration.ofSeconds(20),
                () -> Files.isDirectory(felixCache));
        assertTrue(initialised.isPresent(), "the framework initialised" + sb.output());
        terminateExpectingACleanStop(sb);
    }

    /** SIGTERM, then exit 0 with the store committed and closed, and no error on the way. */
    private static void terminateExpectingACleanStop(Distribution.Instance sb) {
        sb.terminate();
        int status = sb.awaitExit(Duration.ofSeconds(30));
        assertEquals(0, status, sb.output());
        assertTrue(CLOSED.matcher(sb.stdout()).find(), "the store is committed and closed" + sb.output());
        assertTrue(!sb.output().contains(" ERROR ") && !sb.output().contains("Exception"),
                "no error on the way" + sb.output());
    }

    @Test
    void inFlightRequestFinishesNewConnectionsAreRefusedExitZero() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        int port = sb.port();

        String boundary = "e2e-boundary-7MA4YWxkTrZu0gW";
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"not-a-plugin.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] content = "this is not a jar, only text sent slowly\n".repeat(50).getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        int length = head.length + content.length + tail.length;
        int firstPart = content.length / 2;

        long termAt;
        try (Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/plugins HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: " + length + "\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(content, 0, firstPart);
            out.flush();
            // Give the gateway time to dispatch the request to its handler, which now waits for the rest.
            Thread.sleep(700);

            termAt = System.nanoTime();
            sb.terminate();
            sb.awaitStdout(DRAINING, Duration.ofSeconds(5));
            // A plugin dropped in now is left for the next start (README): the plugin loader is stopped first, and
            // it never scans a stopping framework anyway.
            Files.copy(PluginJars.faulty(), dist.home().resolve("plugins/faulty.jar"));

            Optional<Duration> refused = Distribution.poll(Duration.ofSeconds(2), () -> refusesConnections(port));
            assertTrue(refused.isPresent(), "a new connection is refused once the drain began" + sb.output());
            assertTrue(sb.process().isAlive(), "still draining while the upload is unfinished" + sb.output());

            long sinceTerm = Duration.ofNanos(System.nanoTime() - termAt).toMillis();
            Thread.sleep(Math.max(0, 1000 - sinceTerm));
            out.write(content, firstPart, content.length - firstPart);
            out.write(tail);
            out.flush();

            Response r = Response.read(slow.getInputStream());
            System.out.println("[e2e] in-flight upload answered during the drain: " + r.statusLine + " " + r.body);
            assertEquals(400, r.status, "the upload was processed to its end: " + r.statusLine + "\n" + r.body);
            assertTrue(r.body.contains("not_a_bundle"), r.body);
        }

        long answeredAt = System.nanoTime();
        int status = sb.awaitExit(GRACE.plusSeconds(5));
        long exitedAt = System.nanoTime();
        System.out.println("[e2e] drained SIGTERM -> exit " + status + ", "
                + Duration.ofNanos(exitedAt - answeredAt).toMillis() + " ms after the in-flight answer, "
                + Duration.ofNanos(exitedAt - termAt).toMillis() + " ms after SIGTERM");
        assertEquals(0, status, sb.output());
        assertTrue(Duration.ofNanos(exitedAt - termAt).compareTo(GRACE) < 0, "exited within the grace period");
        assertTrue(CLOSED.matcher(sb.stdout()).find(), sb.output());
        assertTrue(!sb.output().contains("'faulty' available"), "the plugin dropped in during the drain was not "
                + "loaded (the drain lasted 1 s, the folder is polled every 200 ms)" + sb.output());
        assertTrue(!sb.output().contains(" ERROR ") && !sb.output().contains("Exception"), sb.output());
    }

    private static boolean refusesConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A complete HTTP/1.1 response read off a socket: status line, headers, and the whole body. */
    private static final class Response {
        final String statusLine;
        final int status;
        final String body;

        private Response(String statusLine, String body) {
            this.statusLine = statusLine;
            Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ?.*").matcher(statusLine);
            if (!m.matches()) {
                fail("not an HTTP status line: " + statusLine);
            }
            this.status = Integer.parseInt(m.group(1));
            this.body = body;
        }

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            long contentLength = -1;
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Long.parseLong(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(exactly(in, size));
                    line(in);
                }
            } else if (contentLength >= 0) {
                body.write(exactly(in, (int) contentLength));
            } else {
                fail("the answer has neither Content-Length nor chunked encoding: " + statusLine);
            }
            return new Response(statusLine, body.toString(StandardCharsets.UTF_8));
        }

        private static byte[] exactly(InputStream in, int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                fail("the answer was cut after " + b.length + " of " + n + " body bytes: "
                        + new String(Arrays.copyOf(b, b.length), StandardCharsets.UTF_8));
            }
            return b;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            throw new IOException("connection closed in the middle of the answer after '" + sb + "'");
        }
    }
}
