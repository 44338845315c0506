/**
 * The gateway core bundle: {@link dev.switchboard.core.Gateway} wires the store, the in-memory registries,
 * the admin API and the Jetty server, and tracks provider adapters and the web sites bundles offer (the
 * console). Exports nothing; plugins see only the api.
 */
package dev.switchboard.core;
