package dev.switchboard.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A channel as stored: a vendor account with its encrypted key and routing settings.
 *
 * @param id the id, assigned by the store
 * @param name the operator's name
 * @param type the channel type id (its plugin may not be installed)
 * @param keyCipher the vendor key, encrypted by {@link SecretBox}
 * @param keyMasked the key as answers show it
 * @param baseUrl the base URL override, or {@code null}
 * @param models the model names clients request through it
 * @param modelMapping requested name to upstream name
 * @param groups the token groups it serves
 * @param priority higher is tried first
 * @param weight share within its priority tier
 * @param status {@code enabled}, {@code disabled} or {@code auto_disabled}
 * @param statusReason why it is not enabled, or {@code null}
 * @param config per-type options
 * @param proxy outbound HTTP proxy URL, or {@code null}
 * @param responseTimeMs last measured response time
 * @param balance the vendor balance last read, or {@code null}
 * @param balanceCurrency its currency, or {@code null}
 * @param balanceUpdatedAt when it was read (unix seconds), or {@code null}
 * @param usedQuota spend through this channel, micro-units
 * @param createdAt unix seconds
 * @param timeouts the channel's own upstream timeouts, or {@code null} for the gateway's
 */
public record ChannelRecord(long id, String name, String type, String keyCipher, String keyMasked, String baseUrl,
        List<String> models, Map<String, String> modelMapping, List<String> groups, int priority, int weight,
        String status, String statusReason, JsonNode config, String proxy, long responseTimeMs, BigDecimal balance,
        String balanceCurrency, Long balanceUpdatedAt, long usedQuota, long createdAt, ChannelTimeouts timeouts) {

    /** Status of a channel that serves traffic. */
    public static final String ENABLED = "enabled";
    /** Status of a channel an operator turned off. */
    public static final String DISABLED = "disabled";
    /** Status of a channel the gateway turned off (bad key, no balance). */
    public static final String AUTO_DISABLED = "auto_disabled";

    /** A channel without timeouts of its own (the form records had before channels could set them). */
    public ChannelRecord(long id, String name, String type, String keyCipher, String keyMasked, String baseUrl,
            List<String> models, Map<String, String> modelMapping, List<String> groups, int priority, int weight,
            String status, String statusReason, JsonNode config, String proxy, long responseTimeMs,
            BigDecimal balance, String balanceCurrency, Long balanceUpdatedAt, long usedQuota, long createdAt) {
        this(id, name, type, keyCipher, keyMasked, baseUrl, models, modelMapping, groups, priority, weight, status,
                statusReason, config, proxy, responseTimeMs, balance, balanceCurrency, balanceUpdatedAt, usedQuota,
                createdAt, null);
    }

    /** @return the channel's own timeouts, {@link ChannelTimeouts#NONE} when it has none */
    public ChannelTimeouts timeoutsOrNone() {
        return timeouts == null ? ChannelTimeouts.NONE : timeouts;
    }

    /** @param newId the id @return a copy with that id */
    public ChannelRecord withId(long newId) {
        return new ChannelRecord(newId, name, type, keyCipher, keyMasked, baseUrl, models, modelMapping, groups,
                priority, weight, status, statusReason, config, proxy, responseTimeMs, balance, balanceCurrency,
                balanceUpdatedAt, usedQuota, createdAt, timeouts);
    }

    /** @param millis the response time @return a copy with it */
    public ChannelRecord withResponseTime(long millis) {
        return new ChannelRecord(id, name, type, keyCipher, keyMasked, baseUrl, models, modelMapping, groups,
                priority, weight, status, statusReason, config, proxy, millis, balance, balanceCurrency,
                balanceUpdatedAt, usedQuota, createdAt, timeouts);
    }

    /**
     * @param newStatus the status
     * @param reason why, or {@code null}
     * @return a copy with that status
     */
    public ChannelRecord withStatus(String newStatus, String reason) {
        return new ChannelRecord(id, name, type, keyCipher, keyMasked, baseUrl, models, modelMapping, groups,
                priority, weight, newStatus, reason, config, proxy, responseTimeMs, balance, balanceCurrency,
                balanceUpdatedAt, usedQuota, createdAt, timeouts);
    }

    /** @param used spend through this channel @return a copy with it */
    public ChannelRecord withUsedQuota(long used) {
        return new ChannelRecord(id, name, type, keyCipher, keyMasked, baseUrl, models, modelMapping, groups,
                priority, weight, status, statusReason, config, proxy, responseTimeMs, balance, balanceCurrency,
                balanceUpdatedAt, used, createdAt);
    }
}
