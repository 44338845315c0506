/**
 * Prices and their arithmetic: the model price table (seeded from the shipped default table, then the operator's),
 * group multipliers, the models seen without a price, and costs in integer micro-units rounded up after
 * multipliers. Depends on the store and the core's JSON plumbing only.
 */
package dev.switchboard.core.pricing;
