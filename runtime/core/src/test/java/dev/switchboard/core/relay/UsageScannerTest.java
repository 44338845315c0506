package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.provider.Usage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both ways of scanning (token by token as bytes come; kept whole when the length is known) find the same usage. */
class UsageScannerTest {

    private static Usage scan(String body, int piece) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        Usage streamed = scan(new UsageScanner(), b, piece);
        Usage whole = scan(new UsageScanner(b.length), b, piece);
        assertEquals(streamed, whole, "the same usage whether scanned as it came or whole");
        if (b.length <= UsageScanner.WHOLE_LIMIT) {
            // A declared length the body does not reach (a cut answer) finds nothing rather than failing.
            scan(new UsageScanner(b.length + 10), b, piece);
        }
        return streamed;
    }

    private static Usage scan(UsageScanner s, byte[] b, int piece) {
        for (int i = 0; i < b.length; i += piece) {
            ByteBuffer chunk = ByteBuffer.wrap(b, i, Math.min(piece, b.length - i));
            int before = chunk.position();
            s.feed(chunk);
            assertEquals(before, chunk.position(), "the scanner must not consume the client's bytes");
        }
        return s.usage();
    }

    @Test
    void findsTopLevelUsageWhateverTheChunking() {
        String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"usage: none\",\"usage\":{\"prompt_tokens\":999}}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}},\"extra\":[1,2,3]}";
        for (int piece : new int[] {1, 5, 64, 4096}) {
            assertEquals(new Usage(12, 5, 4), scan(body, piece), "piece " + piece);
        }
    }

    @Test
    void embeddingsUsageAfterALargeArray() {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[{\"embedding\":[");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i == 0 ? "" : ",").append("0.0123");
        }
        sb.append("]}],\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");
        assertEquals(Usage.of(8, 0), scan(sb.toString(), 8192));
    }

    @Test
    void noUsageOrNotJson() {
        assertNull(scan("{\"id\":\"x\"}", 3));
        assertNull(scan("<html>bad gateway</html>", 3));
    }
}
