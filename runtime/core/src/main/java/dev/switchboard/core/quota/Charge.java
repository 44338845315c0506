package dev.switchboard.core.quota;

import dev.switchboard.core.relay.Admission;
import dev.switchboard.core.store.PriceRecord;
import java.math.BigDecimal;

/**
 * What one request pre-consumed, and what settling it needs: the price and multiplier it was admitted at, the
 * prompt it was counted to have (used when the upstream reports no usage), and from which balances the amount
 * was taken (an unlimited balance gives nothing, and must not be refunded what it never gave).
 *
 * @param tokenId the token
 * @param userId its owner
 * @param group the group the request is routed and priced in
 * @param model the model asked for
 * @param price the model's price, or {@code null} when unpriced
 * @param multiplier the group's multiplier
 * @param estimate the estimate
 * @param amount micro-units pre-consumed
 * @param fromToken whether the amount was taken from the token's remaining quota
 * @param fromUser whether it was taken from the user's quota
 */
public record Charge(long tokenId, long userId, String group, String model, PriceRecord price,
        BigDecimal multiplier, Estimate estimate, long amount, boolean fromToken, boolean fromUser)
        implements Admission.Hold {
}
