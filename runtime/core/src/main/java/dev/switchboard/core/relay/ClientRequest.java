package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import java.util.Map;

/**
 * A client's request as adapters see it.
 *
 * @param operation the operation
 * @param model the model asked for
 * @param upstreamModel the model after the channel's mapping
 * @param stream whether the client asked for a stream
 * @param includeUsage whether it asked for the usage chunk
 * @param body the JSON body (an empty object for multipart)
 * @param formFields the text fields of a multipart request
 * @param requestId the request id
 * @param channel the channel of this attempt
 */
record ClientRequest(Operation operation, String model, String upstreamModel, boolean stream, boolean includeUsage,
        JsonNode body, Map<String, String> formFields, String requestId, Channel channel) implements RelayRequest {
}
