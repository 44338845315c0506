/**
 * The relay: the OpenAI-compatible surface under {@code /v1/} as {@code relay-api.md} states it. Auth by relay
 * token, a parse of what validation, routing and accounting need, one upstream call through the core's HTTP
 * client, and the answer relayed back: pass-through bytes for OpenAI-compatible upstreams (usage read on the
 * way), or the adapter's translation. Every SSE event is flushed as it arrives.
 *
 * <p>Depends on the api, the channel and token registries, the adapter registry and the upstream package.
 */
package dev.switchboard.core.relay;
