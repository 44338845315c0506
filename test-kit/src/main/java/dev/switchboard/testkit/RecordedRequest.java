package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A request a {@link FakeUpstream} received.
 *
 * @param method the HTTP method
 * @param path the path, e.g. {@code /v1/chat/completions}
 * @param query the raw query string, or {@code null}
 * @param headers the headers, names in lower case, first value of each
 * @param body the body bytes (empty when none)
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param name a header name, any case @return its first value, or {@code null} */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return the body decoded as UTF-8 */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the body parsed as JSON; an {@link UncheckedIOException} when it is not JSON */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the recorded body is not JSON: " + text(), e);
        }
    }
}
