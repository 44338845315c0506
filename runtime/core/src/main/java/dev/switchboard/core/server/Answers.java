package dev.switchboard.core.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON answers and errors in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. */
public final class Answers {

    private static final String JSON = "application/json";

    private Answers() {
    }

    /**
     * @param response the response
     * @param callback completed when written
     * @param status the HTTP status
     * @param body the body, or {@code null} for none
     */
    public static void json(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        if (body == null) {
            response.write(true, null, callback);
            return;
        }
        byte[] bytes = Json.bytes(body);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * @param message what is wrong and what to do
     * @param type the OpenAI error type, e.g. {@code invalid_request_error}
     * @param code the error code, a string
     * @param param the field at fault, or {@code null}
     * @return the error object
     */
    public static ObjectNode error(String message, String type, String code, String param) {
        ObjectNode error = Json.object();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }

    /**
     * Writes an error answer.
     *
     * @param response the response
     * @param callback completed when written
     * @param status the HTTP status
     * @param type the OpenAI error type
     * @param code the error code
     * @param message what is wrong and what to do
     */
    public static void error(Response response, Callback callback, int status, String type, String code,
            String message) {
        json(response, callback, status, error(message, type, code, null));
    }

    /**
     * Answers 405 with {@code Allow: GET, HEAD} unless the request is a GET or HEAD.
     *
     * @param request the request
     * @param response its response
     * @param callback its callback
     * @param path the path, for the message
     * @return whether the request was refused (and answered)
     */
    public static boolean refusedUnlessGet(org.eclipse.jetty.server.Request request, Response response,
            Callback callback, String path) {
        if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            return false;
        }
        response.getHeaders().put("Allow", "GET, HEAD");
        error(response, callback, 405, "invalid_request_error", "method_not_allowed", path + " answers GET only");
        return true;
    }

    /**
     * The error type the relay contract pairs with a status, for errors the gateway itself raises.
     *
     * @param status an HTTP status
     * @return the type
     */
    public static String typeFor(int status) {
        return switch (status) {
            case 401, 400, 404, 405, 409, 413, 415 -> "invalid_request_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_exceeded";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
