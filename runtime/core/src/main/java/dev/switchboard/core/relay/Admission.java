package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.store.TokenRecord;
import java.util.Map;

/**
 * The accounting's hook before dispatch: checks the token's owner and pre-consumes the request's estimated cost.
 * The hold it returns travels with the request and reaches the {@link OutcomeSink} in the {@link Outcome}, where
 * the real cost is settled or the hold refunded. Must not block.
 */
@FunctionalInterface
public interface Admission {

    /** Admits everything and holds nothing. */
    Admission NONE = (token, model, operation, body, formFields) -> Hold.NONE;

    /**
     * @param token the authenticated token
     * @param model the model asked for
     * @param operation the operation
     * @param body the JSON body (an empty object for multipart)
     * @param formFields the text fields of a multipart request
     * @return the hold, settled once the request is over
     * @throws Refused when the request may not go on
     */
    Hold admit(TokenRecord token, String model, Operation operation, JsonNode body, Map<String, String> formFields);

    /**
     * The group a token's requests are routed in: the token's own group, else its owner's, else {@code default}.
     *
     * @param token the authenticated token
     * @return the group; without accounting, the token's group or {@code default}
     */
    default String groupOf(TokenRecord token) {
        return RelayHandler.group(token);
    }

    /**
     * Whether a token's owner may pin a channel ({@code X-Switchboard-Channel}): admins and root only.
     *
     * @param token the authenticated token
     * @return whether pinning is allowed; without accounting, only root's tokens
     */
    default boolean mayPin(TokenRecord token) {
        return token.userId() == dev.switchboard.core.token.Tokens.ROOT_USER;
    }

    /** What a request pre-consumed. */
    interface Hold {

        /** Holds nothing. */
        Hold NONE = () -> null;

        /** @return the group the request is routed and priced in, or {@code null} for the token's own */
        String group();
    }

    /** A refusal with the relay contract's status, type and code. */
    final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int status;
        private final String type;
        private final String code;

        /**
         * @param status e.g. 429
         * @param type e.g. {@code insufficient_quota}
         * @param code e.g. {@code insufficient_quota}
         * @param message what happened and what to do
         */
        public Refused(int status, String type, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.code = code;
        }

        RelayError toError() {
            return RelayError.typed(status, type, code, getMessage());
        }
    }
}
