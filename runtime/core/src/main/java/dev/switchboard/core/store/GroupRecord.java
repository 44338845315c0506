package dev.switchboard.core.store;

import java.math.BigDecimal;

/**
 * A user group and its price multiplier (e.g. {@code vip} = 0.8).
 *
 * @param name the group name
 * @param multiplier what its prices are multiplied by
 */
public record GroupRecord(String name, BigDecimal multiplier) {
}
