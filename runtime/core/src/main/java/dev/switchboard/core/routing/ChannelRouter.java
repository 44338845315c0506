package dev.switchboard.core.routing;

import dev.switchboard.api.provider.Operation;
import java.util.List;

/** Picks the channels for a request. */
public interface ChannelRouter {

    /**
     * @param group the token's group
     * @param model the model the client asked for
     * @param operation the operation, which the channel's type must support
     * @param pinnedChannel a channel id the caller pinned, or {@code null}
     * @return the candidates in the order to try, never empty
     * @throws NoChannelException when none can serve
     */
    List<Candidate> route(String group, String model, Operation operation, Long pinnedChannel);

    /**
     * @param group a token group
     * @return the exact model names some enabled channel of the group lists, sorted (prefix patterns such as
     *     {@code qwen-*} add none)
     */
    List<String> models(String group);

    /**
     * @param group a token group
     * @param model a model name
     * @return whether some enabled channel of the group lists it, exactly or by a prefix pattern
     */
    default boolean serves(String group, String model) {
        return models(group).contains(model);
    }
}
