/**
 * Several nodes on one PostgreSQL store: {@link dev.switchboard.core.cluster.ChangeFeed} hears other nodes' changes
 * ({@code LISTEN/NOTIFY}, with a periodic full re-read as a safety net) and hands them to a
 * {@link dev.switchboard.core.cluster.Replica}, which brings the in-memory registries in step. Depends on the store
 * and the registries; nothing on the relay's path waits on it.
 */
package dev.switchboard.core.cluster;
