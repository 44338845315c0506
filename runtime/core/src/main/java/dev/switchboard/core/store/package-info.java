/**
 * Durable state: the {@link dev.switchboard.core.store.Store} interface, its records and the MapDB file
 * store. Writes go through one writer thread that commits in groups; callers get a stage that completes once
 * their change is committed. Vendor keys are encrypted at rest by {@link dev.switchboard.core.store.SecretBox}.
 * Depends on MapDB and the core's JSON plumbing only.
 */
package dev.switchboard.core.store;
