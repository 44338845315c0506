/**
 * Tracks the provider adapters that plugins register. Replacement services may bind before the old ones
 * unbind, so every registration is kept until its own unbind; lookups take the newest.
 */
package dev.switchboard.core.adapter;
