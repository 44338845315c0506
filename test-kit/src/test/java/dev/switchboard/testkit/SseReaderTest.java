package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.provider.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void readsEventsAsTheSpecificationSays() {
        List<SseEvent> events = SseReader.parse(": keep-alive\n\n"
                + "data:{\"a\":1}\n\n"
                + "event: result\nid: 7\ndata: line one\ndata: line two\n\n"
                + "data: [DONE]");
        assertEquals(List.of(new SseEvent(null, null, "{\"a\":1}"),
                new SseEvent("7", "result", "line one\nline two"),
                new SseEvent(null, null, "[DONE]")), events);
    }

    @Test
    void crLfLineEndsWork() {
        assertEquals(List.of(new SseEvent(null, null, "x")), SseReader.parse("data: x\r\n\r\n"));
    }
}
