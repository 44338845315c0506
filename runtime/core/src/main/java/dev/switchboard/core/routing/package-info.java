/**
 * Choosing channels for a request: the candidates for a group and model, in the order to try them. The relay
 * depends on the {@link dev.switchboard.core.routing.ChannelRouter} interface only.
 */
package dev.switchboard.core.routing;
