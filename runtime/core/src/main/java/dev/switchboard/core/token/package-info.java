/**
 * Relay tokens: generated keys, stored as SHA-256 only, indexed in memory by that hash so each request's
 * lookup is one hash and one map read.
 */
package dev.switchboard.core.token;
