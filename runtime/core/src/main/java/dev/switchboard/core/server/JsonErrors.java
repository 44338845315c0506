package dev.switchboard.core.server;

import dev.switchboard.core.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself (a request it cannot parse, a head over {@code limits.max_header}) in the relay's
 * error shape, so clients read it like any other error.
 */
final class JsonErrors extends ErrorHandler {

    private final int maxHeaderBytes;

    JsonErrors(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    private byte[] body(int status, String reason) {
        String message = status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431
                ? "the request head (request line and headers) is larger than the limit of " + maxHeaderBytes
                        + " bytes (limits.max_header)"
                : reason != null && !reason.isBlank() ? reason : HttpStatus.getMessage(status);
        String code = switch (status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "header_too_large";
            case HttpStatus.URI_TOO_LONG_414 -> "uri_too_long";
            case HttpStatus.BAD_REQUEST_400 -> "bad_request";
            default -> "http_" + status;
        };
        return Json.bytes(Answers.error(message, Answers.typeFor(status), code, null));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] b = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, ByteBuffer.wrap(b), callback);
    }
}
