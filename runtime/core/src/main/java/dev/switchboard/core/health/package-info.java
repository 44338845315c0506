/**
 * Readiness: {@code /health} answers 200 once the server listens and every plugin jar present at start-up has
 * been processed (active or failed), 503 while starting or stopping.
 */
package dev.switchboard.core.health;
