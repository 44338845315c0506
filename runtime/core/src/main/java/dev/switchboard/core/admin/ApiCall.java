package dev.switchboard.core.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One admin request as an endpoint sees it: its path parameters, query and body.
 *
 * @param request the Jetty request
 * @param params path parameters by name, e.g. {@code id}
 * @param query the query parameters
 * @param maxBody the largest body accepted
 * @param principal the caller ({@code null} on public routes)
 * @param response the response, for endpoints that set cookies
 */
public record ApiCall(Request request, Map<String, String> params, Fields query, long maxBody,
        dev.switchboard.core.auth.Principal principal, org.eclipse.jetty.server.Response response) {

    /** A too-large body up to this many times the limit is read and dropped before the 413 (see below). */
    private static final long DISCARD_FACTOR = 4;

    /** @return whether the caller is an admin or root */
    public boolean isAdmin() {
        return principal != null && principal.isAdmin();
    }

    /** @return the caller's user id */
    public long userId() {
        return principal.userId();
    }

    /**
     * @param name a query parameter holding an integer
     * @return its value, or {@code null} when absent
     */
    public Long queryLong(String name) {
        String v = query.getValue(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw BadInput.invalid(name, name + " must be an integer");
        }
    }

    /** @param name a path parameter @return its value */
    public String param(String name) {
        return params.get(name);
    }

    /**
     * @param name a path parameter holding an id
     * @return the id
     */
    public long id(String name) {
        try {
            return Long.parseLong(params.get(name));
        } catch (NumberFormatException e) {
            throw new BadInput(404, "not_found", null, "no such " + name.replace("_id", "") + ": '"
                    + params.get(name) + "' is not an id");
        }
    }

    /**
     * @param name a query parameter
     * @return its value, or {@code null}
     */
    public String queryValue(String name) {
        return query.getValue(name);
    }

    /**
     * @param name a query parameter
     * @param fallback the value when absent
     * @param min the least value accepted
     * @param max the largest value accepted
     * @return its integer value
     */
    public int queryInt(String name, int fallback, int min, int max) {
        String v = query.getValue(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the range.
        }
        throw BadInput.invalid(name, name + " must be an integer from " + min + " to " + max);
    }

    /** @return the body as a stream (blocking reads), limited to {@code maxBody} */
    public InputStream bodyStream() {
        long declared = request.getLength();
        if (declared > maxBody) {
            discardIfModest(declared);
            throw new BadInput(413, "body_too_large", null, "the body is larger than " + maxBody + " bytes");
        }
        return new LimitedInputStream(Content.Source.asInputStream(request), maxBody);
    }

    /**
     * Reads and drops a too-large body the client is still sending, when it is at most a few times the limit: a
     * connection closed with unread bytes is reset, and the client then loses the 413 it was about to read. Larger
     * bodies are not worth the reading; their connection is simply closed.
     */
    private void discardIfModest(long declared) {
        if (declared > DISCARD_FACTOR * maxBody) {
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // The client went away or stopped sending: the 413 is answered (or not) all the same.
        }
    }

    /** @return the body parsed as JSON */
    public JsonNode json() {
        try (InputStream in = bodyStream()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw new BadInput(400, "invalid_json", null, "the body is empty; send a JSON object");
            }
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadInput(400, "invalid_json", null, "the body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Path parameters of a route that has none. */
    static final Map<String, String> NO_PARAMS = Map.of();

    /** @return the path split into its segments after {@code /api/} */
    static List<String> segments(String path) {
        String rest = path.length() > 5 ? path.substring(5) : "";
        return rest.isEmpty() ? List.of() : List.of(rest.split("/", -1));
    }
}
