/**
 * Quota: the estimate of a request before its upstream call (prompt counted with a tiktoken-compatible tokenizer,
 * jtokkit, embedded in the core bundle; plus {@code max_tokens} or a configured default), its pre-consumption from
 * the token and its owner together, and the ledger of live balances that the accounting settles and writes
 * behind. Depends on the relay's admission hook, the token and user registries and {@code core.pricing}.
 */
package dev.switchboard.core.quota;
