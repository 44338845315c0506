package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RelayBodyTest {

    private static RelayBody parse(String json) {
        return RelayBody.parse(json.getBytes(StandardCharsets.UTF_8), RelayBody.treeReader(Json.MAPPER));
    }

    @Test
    void unchangedBodyIsForwardedAsTheSameBytes() {
        RelayBody b = parse("{ \"model\" : \"gpt-4o\",\n \"messages\":[], \"x\": 1.50 }");
        assertSame(b.raw(), b.forUpstream("gpt-4o", false));
    }

    @Test
    void onlyTheModelValueIsRewritten() {
        String in = "{ \"messages\":[{\"role\":\"user\"}],  \"model\" : \"gpt-4o\" ,\"z\":{\"k\":[1, 2]}, \"w\": 1.50}";
        String out = new String(parse(in).forUpstream("gpt-4o-2024-08-06", false), StandardCharsets.UTF_8);
        assertEquals(in.replace("\"gpt-4o\"", "\"gpt-4o-2024-08-06\""), out);
    }

    @Test
    void includeUsageIsAddedWithoutTouchingOtherFields() throws Exception {
        String in = "{\"model\":\"m\",\"stream\":true,\"unknown_field\":{\"keep\":\"me\"}}";
        JsonNode out = Json.MAPPER.readTree(parse(in).forUpstream("m", true));
        assertTrue(out.path("stream_options").path("include_usage").asBoolean());
        assertEquals("me", out.path("unknown_field").path("keep").asText());
        assertEquals(4, out.size());
    }

    @Test
    void existingStreamOptionsKeepTheirOtherFields() throws Exception {
        String in = "{\"model\":\"m\",\"stream_options\":{\"include_usage\":false,\"other\":7},\"n\":1}";
        JsonNode out = Json.MAPPER.readTree(parse(in).forUpstream("up", true));
        assertEquals("up", out.path("model").asText());
        assertTrue(out.path("stream_options").path("include_usage").asBoolean());
        assertEquals(7, out.path("stream_options").path("other").asInt());
        assertEquals(1, out.path("n").asInt());
    }

    @Test
    void aMissingModelIsInserted() throws Exception {
        JsonNode out = Json.MAPPER.readTree(parse("{\"input\":\"x\"}").forUpstream("omni-moderation-latest", false));
        assertEquals("omni-moderation-latest", out.path("model").asText());
        assertEquals("x", out.path("input").asText());
    }

    @Test
    void unicodeAndEscapesSurviveByteForByte() {
        String in = "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo \\u4f60 \\\"q\\\" 🎉\"}]}";
        byte[] out = parse(in).forUpstream("b", false);
        assertArrayEquals(in.replace("\"a\"", "\"b\"").getBytes(StandardCharsets.UTF_8), out);
    }

    @Test
    void malformedBodiesAreRejected() {
        for (String bad : new String[] {"", "[]", "\"x\"", "{\"model\":", "{} {}", "{\"a\":1}x"}) {
            RelayError e = assertThrows(RelayError.class, () -> parse(bad), bad);
            assertEquals(400, e.status());
            assertEquals("invalid_json", e.code());
        }
    }
}
