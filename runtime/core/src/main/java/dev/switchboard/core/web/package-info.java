/**
 * Static web sites that bundles offer as {@link dev.switchboard.api.web.WebAssets} services (the admin console):
 * the whiteboard that tracks them and the handler that serves the current one over HTTP, with the caching and
 * security headers the core owns. Depends on the api and Jetty; nothing here touches the store.
 */
package dev.switchboard.core.web;
