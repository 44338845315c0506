package dev.switchboard.api.provider;

import java.math.BigDecimal;

/**
 * A vendor account's balance as the vendor reports it.
 *
 * @param amount the amount in the vendor's currency, e.g. {@code 12.5}
 * @param currency an ISO 4217 code such as {@code CNY} or {@code USD}
 */
public record Balance(BigDecimal amount, String currency) {
}
