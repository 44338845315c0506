package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What was generated, read back from stream chunks, translated chunks and whole bodies, for counting. */
class GeneratedTextTest {

    @Test
    void streamChunksGiveTheirDeltasReasoningAndToolArguments() throws Exception {
        GeneratedText g = new GeneratedText();
        g.add("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}");
        g.add("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"(think)\"}}]}");
        g.add(Json.MAPPER.readTree("{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}"));
        g.add("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
        g.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}");
        g.add("not json");
        assertEquals("Hel(think)lof{}", g.text());
    }

    @Test
    void aWholeBodyGivesItsMessagesAndCompletionText() {
        GeneratedText g = new GeneratedText();
        byte[] body = "{\"choices\":[{\"message\":{\"content\":\"Hello world\"}},{\"text\":\"!\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        g.addBody(java.util.Arrays.copyOfRange(body, 0, 20));
        g.addBody(java.util.Arrays.copyOfRange(body, 20, body.length));
        assertEquals("Hello world!", g.text());
    }

    @Test
    void nothingGeneratedIsEmpty() {
        assertEquals("", new GeneratedText().text());
    }
}
