package dev.switchboard.dist.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for streams: it reads the answer line by line as it arrives (noting when
 * each line arrived), de-chunking on the way, and can hang up at any point.
 */
final class RawClient implements AutoCloseable {

    /** One line of the answer body (without its line end) and when it arrived. */
    record Line(String text, long atNanos) {
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final InputStream body;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        String statusLine = asciiLine(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        this.status = Integer.parseInt(statusLine.substring(9, 12));
        for (String h = asciiLine(in); h != null && !h.isEmpty(); h = asciiLine(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        String te = header("transfer-encoding");
        String cl = header("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new Chunked(in);
        } else if (cl != null) {
            body = new Limited(in, Long.parseLong(cl));
        } else {
            body = in;
        }
    }

    /**
     * Sends a POST with a JSON body and reads the status line and headers.
     *
     * @param port the gateway's port
     * @param path e.g. {@code /v1/chat/completions}
     * @param token the bearer token
     * @param json the body
     * @return the client, positioned at the start of the body
     */
    static RawClient post(int port, String path, String token, String json) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            return new RawClient(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
            throw new UncheckedIOException(e);
        }
    }

    int status() {
        return status;
    }

    /** @param name lower case @return the first value or null */
    String header(String name) {
        List<String> v = headers.get(name);
        return v == null ? null : v.get(0);
    }

    Map<String, List<String>> headers() {
        return headers;
    }

    /** @return the next body line as it arrives, or null at the end of the body */
    Line readLine() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = body.read()) != -1) {
                if (c == '\n') {
                    byte[] b = line.toByteArray();
                    int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                    return new Line(new String(b, 0, n, StandardCharsets.UTF_8), System.nanoTime());
                }
                line.write(c);
            }
            if (line.size() > 0) {
                return new Line(line.toString(StandardCharsets.UTF_8), System.nanoTime());
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every remaining body line */
    List<Line> readAll() {
        List<Line> all = new ArrayList<>();
        for (Line l = readLine(); l != null; l = readLine()) {
            all.add(l);
        }
        return all;
    }

    /** Hangs up. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Gone already.
        }
    }

    private static String asciiLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** A chunked body; ends at the last chunk, fails if the connection ends before it. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = asciiLine(in);
                if (size == null) {
                    throw new IOException("the connection ended before the last chunk");
                }
                if (size.isEmpty()) {
                    size = asciiLine(in);
                    if (size == null) {
                        throw new IOException("the connection ended before the last chunk");
                    }
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    asciiLine(in);
                    return -1;
                }
            }
            int c = in.read();
            if (c == -1) {
                throw new IOException("the connection ended inside a chunk");
            }
            left--;
            return c;
        }
    }

    /** A body of a known length. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int c = in.read();
            if (c == -1) {
                throw new IOException("the connection ended before the announced length");
            }
            left--;
            return c;
        }
    }
}
