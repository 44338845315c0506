/**
 * What the gateway learns about its channels from traffic: circuit breakers per channel and per channel and
 * model, response times, and the periodic re-test of auto-disabled channels. Everything the relay calls here is
 * lock-free; what writes to the store runs on its own threads. Depends on the channel registry only.
 */
package dev.switchboard.core.monitor;
