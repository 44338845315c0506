/**
 * Per-token rate limits: requests per minute, tokens per minute and concurrent requests, held in memory and
 * counted without locks. Depends on the store's token record only.
 */
package dev.switchboard.core.ratelimit;
