package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A client request as the core parsed it, for an adapter to translate. The body is shared between attempts:
 * treat it as read-only.
 */
public interface RelayRequest {

    /** @return the operation of the route the client called */
    Operation operation();

    /** @return the model name the client asked for */
    String model();

    /** @return the model name to send upstream, after the channel's model mapping */
    String upstreamModel();

    /** @return whether the client asked for a streamed answer */
    boolean stream();

    /** @return whether the client asked for the usage chunk of a stream ({@code stream_options.include_usage}) */
    boolean includeUsage();

    /**
     * @return the JSON body for JSON operations; for multipart operations an empty object, see {@link
     *     #formFields()}
     */
    JsonNode body();

    /** @return the text fields of a multipart request (not the file); empty for JSON operations */
    Map<String, String> formFields();

    /** @return the gateway's id of this request, as sent to the client in {@code X-Request-Id} */
    String requestId();

    /**
     * The channel of this attempt, so that the translation methods, which receive the request, know which
     * channel answered (e.g. to drop that channel's cached access token when the vendor refuses it). The core
     * always supplies it; the default exists for request objects that tests build.
     *
     * @return the channel this attempt was prepared for, or {@code null} outside the core
     */
    default Channel channel() {
        return null;
    }
}
