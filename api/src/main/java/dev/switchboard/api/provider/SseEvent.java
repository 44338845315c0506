package dev.switchboard.api.provider;

/**
 * One server-sent event as the core parsed it from an upstream stream. Comment lines are not events.
 *
 * @param id the {@code id:} field, or {@code null}
 * @param event the {@code event:} field, or {@code null} when absent (the default "message")
 * @param data the {@code data:} lines joined by {@code \n}, without the field name and its one optional space
 */
public record SseEvent(String id, String event, String data) {
}
