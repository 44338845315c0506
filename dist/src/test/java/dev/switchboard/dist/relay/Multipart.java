package dev.switchboard.dist.relay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds and parses {@code multipart/form-data} bodies, for upload tests. */
final class Multipart {

    /** One part: its name, file name (null for a plain field), content type (or null), headers and bytes. */
    record Part(String name, String fileName, String contentType, Map<String, String> headers, byte[] bytes) {

        static Part field(String name, String value) {
            return new Part(name, null, null, Map.of(), value.getBytes(StandardCharsets.UTF_8));
        }

        static Part file(String name, String fileName, String contentType, byte[] bytes) {
            return new Part(name, fileName, contentType, Map.of(), bytes);
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name + (fileName == null ? "=" + (bytes.length < 200 ? text() : bytes.length + " bytes")
                    : " (file " + fileName + ", " + contentType + ", " + bytes.length + " bytes)");
        }
    }

    private Multipart() {
    }

    /** @param boundary the boundary @param parts the parts in order @return the body */
    static byte[] build(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.fileName() != null) {
                h.append("; filename=\"").append(p.fileName()).append('"');
            }
            h.append("\r\n");
            if (p.contentType() != null) {
                h.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            h.append("\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.bytes());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"?)([^\";]+)\\1");
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("\\bfilename=\"([^\"]*)\"");

    /** @param contentType the request's content type, with the boundary @param body the body @return the parts */
    static List<Part> parse(String contentType, byte[] body) {
        Matcher bm = BOUNDARY.matcher(contentType);
        if (!bm.find()) {
            throw new AssertionError("no boundary in " + contentType);
        }
        byte[] delimiter = ("--" + bm.group(2)).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new AssertionError("no first boundary in the body");
        }
        while (true) {
            int after = at + delimiter.length;
            if (body.length >= after + 2 && body[after] == '-' && body[after + 1] == '-') {
                return parts;
            }
            int headersStart = after + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
            if (headersEnd < 0) {
                throw new AssertionError("a part without a header end");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8)
                    .split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            int contentStart = headersEnd + 4;
            byte[] next = new byte[delimiter.length + 2];
            next[0] = '\r';
            next[1] = '\n';
            System.arraycopy(delimiter, 0, next, 2, delimiter.length);
            int end = indexOf(body, next, contentStart);
            if (end < 0) {
                throw new AssertionError("a part without an end");
            }
            String disposition = headers.getOrDefault("content-disposition", "");
            Matcher n = NAME.matcher(disposition);
            Matcher f = FILE_NAME.matcher(disposition);
            parts.add(new Part(n.find() ? n.group(1) : null, f.find() ? f.group(1) : null,
                    headers.get("content-type"), headers, Arrays.copyOfRange(body, contentStart, end)));
            at = end + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
