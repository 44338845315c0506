/**
 * Usage: settlement of each relayed request (the real cost from the upstream's usage, or the counted text, or a
 * refund), the request and admin log, its queries and statistics, and retention. Everything here runs off the
 * hot path: the relay hands outcomes over through a queue, one thread settles them, and the balances and log
 * entries of each window ({@code usage.flush_window}) are committed as one store change. Depends on the relay's
 * outcome types, {@code core.quota}, {@code core.pricing} and the registries.
 */
package dev.switchboard.core.usage;
