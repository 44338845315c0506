package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small text assertions with useful failure messages. */
final class JsonAssert {

    private JsonAssert() {
    }

    static void contains(String text, String part) {
        assertTrue(text != null && text.contains(part), "expected '" + part + "' in: " + text);
    }
}
