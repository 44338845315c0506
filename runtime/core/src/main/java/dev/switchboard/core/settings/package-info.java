/**
 * Operational settings the operator changes at run time through {@code /api/settings} (kept in the store, unlike
 * the start-up configuration of {@code switchboard.properties}): what to do with unpriced models, the default
 * completion estimate, log retention, new users' quota. Depends on the store only.
 */
package dev.switchboard.core.settings;
