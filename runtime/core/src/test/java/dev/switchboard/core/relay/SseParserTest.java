package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.provider.SseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parseInPieces(String stream, int pieceSize) {
        SseParser p = new SseParser(1 << 20);
        List<SseEvent> out = new ArrayList<>();
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += pieceSize) {
            p.feed(ByteBuffer.wrap(bytes, i, Math.min(pieceSize, bytes.length - i)), out::add);
        }
        p.finish(out::add);
        return out;
    }

    @Test
    void openAiStyleEventsWhateverTheChunking() {
        String s = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
        for (int piece : new int[] {1, 3, 7, 1000}) {
            List<SseEvent> e = parseInPieces(s, piece);
            assertEquals(3, e.size(), "piece " + piece);
            assertEquals("{\"a\":1}", e.get(0).data());
            assertEquals("[DONE]", e.get(2).data());
        }
    }

    @Test
    void dashScopeStyleWithoutSpacesWithIdsEventsAndComments() {
        String s = "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{\"x\":\"y\"}\n\n"
                + "id:2\r\nevent:error\r\n:HTTP_STATUS/400\r\ndata:{\"code\":\"Bad\"}\r\n\r\n";
        List<SseEvent> e = parseInPieces(s, 2);
        assertEquals(2, e.size());
        assertEquals(new SseEvent("1", "result", "{\"x\":\"y\"}"), e.get(0));
        assertEquals(new SseEvent("2", "error", "{\"code\":\"Bad\"}"), e.get(1));
    }

    @Test
    void multiLineDataAndALastEventWithoutBlankLine() {
        List<SseEvent> e = parseInPieces("data: one\ndata: two\n\ndata: tail", 4);
        assertEquals(List.of("one\ntwo", "tail"), e.stream().map(SseEvent::data).toList());
    }

    @Test
    void longLinesHaveNoLimitBelowTheEventCap() {
        String big = "x".repeat(300_000);
        List<SseEvent> e = parseInPieces("data: " + big + "\n\n", 8192);
        assertEquals(big, e.get(0).data());
        SseParser small = new SseParser(1000);
        assertThrows(IllegalStateException.class,
                () -> small.feed(ByteBuffer.wrap(("data: " + big).getBytes(StandardCharsets.UTF_8)), x -> { }));
    }
}
