package dev.switchboard.dist.siliconcloud;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough multipart/form-data for the tests: building an upload and reading one on the fake's side. */
final class Multipart {

    private Multipart() {
    }

    /**
     * @param boundary the boundary
     * @param fields text fields, in order, before the file
     * @param fileName the file's name
     * @param fileType the file's content type
     * @param file the file's bytes
     * @return the body
     */
    static byte[] build(String boundary, Map<String, String> fields, String fileName, String fileType, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // The file first, as many clients send it: the gateway must find model wherever it is.
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + fileType + "\r\n\r\n");
        out.writeBytes(file);
        write(out, "\r\n");
        fields.forEach((k, v) -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n"));
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    /**
     * @param body a multipart body
     * @param boundary its boundary
     * @return each part's content by its name
     */
    static Map<String, byte[]> parse(byte[] body, String boundary) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2; // CRLF after the delimiter
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), headersEnd);
            if (headersEnd < 0 || next < 0) {
                break;
            }
            String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
            int n = headers.indexOf("name=\"");
            if (n >= 0) {
                String name = headers.substring(n + 6, headers.indexOf('"', n + 6));
                parts.put(name, Arrays.copyOfRange(body, headersEnd + 4, next));
            }
            at = next + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        if (from < 0) {
            return -1;
        }
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
