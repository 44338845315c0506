package dev.switchboard.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Optional;

/** An answer of the test server: status, headers, body text and, when it is JSON, the parsed body. */
public final class Reply {

    private final HttpResponse<String> response;
    private final JsonNode json;

    Reply(HttpResponse<String> response) {
        this.response = response;
        JsonNode parsed;
        try {
            parsed = response.body().isEmpty() ? MissingNode.getInstance()
                    : AdminApiServer.JSON.readTree(response.body());
        } catch (IOException e) {
            parsed = MissingNode.getInstance();
        }
        this.json = parsed;
    }

    public int status() {
        return response.statusCode();
    }

    public String text() {
        return response.body();
    }

    public JsonNode json() {
        return json;
    }

    /** @return the error object of a failure answer, or a missing node */
    public JsonNode error() {
        return json.path("error");
    }

    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** @param name a header @return all its values */
    public java.util.List<String> headers(String name) {
        return response.headers().allValues(name);
    }

    @Override
    public String toString() {
        return response.statusCode() + " " + response.body();
    }
}
