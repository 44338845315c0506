/**
 * The HTTP front: the Jetty server, the root handler that gives every answer an {@code X-Request-Id} and
 * dispatches to the relay, the admin API, health and the console, and the writers of JSON and error answers.
 */
package dev.switchboard.core.server;
