package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A vendor answer converted to the OpenAI shape, with the usage it reported.
 *
 * @param body the body the client receives
 * @param usage the usage to bill, {@link Usage#NONE} when the vendor gave none (the core then counts it)
 */
public record TranslatedResponse(JsonNode body, Usage usage) {
}
