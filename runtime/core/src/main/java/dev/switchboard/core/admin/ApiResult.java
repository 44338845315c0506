package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an endpoint answers.
 *
 * @param status the HTTP status
 * @param body the JSON body, or {@code null} for none
 */
public record ApiResult(int status, JsonNode body) {

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
