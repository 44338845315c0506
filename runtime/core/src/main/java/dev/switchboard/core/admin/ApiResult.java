package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an endpoint answers.
 *
 * @param status the HTTP status
 * @param body the JSON body, or {@code null} for none
 * @param file a file to send instead of JSON (deleted once sent), or {@code null}
 * @param fileName the download name of the file
 */
public record ApiResult(int status, JsonNode body, java.nio.file.Path file, String fileName) {

    /** @param status the HTTP status @param body the JSON body, or {@code null} */
    public ApiResult(int status, JsonNode body) {
        this(status, body, null, null);
    }

    /**
     * @param file a temporary file, sent as {@code application/octet-stream} then deleted
     * @param fileName the name a download should get
     * @return a 200 with the file
     */
    public static ApiResult file(java.nio.file.Path file, String fileName) {
        return new ApiResult(200, null, file, fileName);
    }

    /** @param body the resource @return a 200 */
    public static ApiResult ok(JsonNode body) {
        return new ApiResult(200, body);
    }

    /** @param body the new resource @return a 201 */
    public static ApiResult created(JsonNode body) {
        return new ApiResult(201, body);
    }

    /** @return a 204 without body */
    public static ApiResult noContent() {
        return new ApiResult(204, null);
    }
}
