/**
 * The core's outbound HTTP: pooled, asynchronous Jetty clients (one per outbound proxy), the side-call
 * facility adapters use, and the snapshot of a channel an adapter sees.
 */
package dev.switchboard.core.upstream;
