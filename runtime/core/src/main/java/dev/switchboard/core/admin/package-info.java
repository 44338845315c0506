/**
 * The admin API under {@code /api/}: a small router, admin-token auth, and one class of endpoints per resource
 * (channels, channel types, tokens, plugins). Answers follow {@code admin-api.md}: JSON, snake_case, lists as
 * {@code {"data":[...],"total":N}}, errors in the relay's error shape. Not on the relay's hot path: handlers
 * may wait for the store's commit.
 */
package dev.switchboard.core.admin;
