package dev.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin token: generated and shown once at first start, kept across restarts, or chosen by the operator. */
@Timeout(90)
class AdminTokenIT {

    @TempDir
    Path tmp;

    private Distribution dist;
    private Distribution other;

    @AfterEach
    void stop() {
        if (dist != null) {
            dist.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void firstStartPrintsTheTokenOnceAndItSurvivesARestart() {
        dist = Distribution.copyTo(tmp.resolve("switchboard"));
        Distribution.Instance first = dist.start().awaitHealthy();
        String out = first.stdout();

        assertEquals(1, count(out, "admin token:"), "one admin token block" + first.output());
        String token = first.generatedAdminToken().orElseThrow();
        Matcher url = Pattern.compile("console and admin API:\\s+(\\S+)").matcher(out);
        assertTrue(url.find(), "the block names the URL" + first.output());
        assertEquals(first.baseUrl(), url.group(1), "the URL in the block is where it serves");
        assertEquals(1, count(out, token), "the token is printed once" + first.output());
        assertFalse(first.stderr().contains(token), "the token is not on stderr");

        assertAdmin(first, token);
        Distribution.Answer types = first.get("/api/channel-types", token);
        assertEquals("openai", types.json().path("data").path(0).path("id").asText(),
                "once healthy, the shipped plugin's type is listed: " + types);
        assertEquals(401, first.get("/api/channels", null).status(), "no credential");
        assertEquals(401, first.get("/api/channels", token + "x").status(), "wrong credential");

        first.terminate();
        assertEquals(0, first.awaitExit(Duration.ofSeconds(20)), first.output());

        Distribution.Instance second = dist.start().awaitHealthy();
        assertFalse(second.stdout().contains("admin token"), "no token block on a later start" + second.output());
        assertFalse(second.stdout().contains(token), "the old token is not printed again" + second.output());
        assertAdmin(second, token);
        assertEquals(401, second.get("/api/channels", "sb-admin-guess").status());
    }

    @Test
    void configuredTokenIsUsedAndNoneIsGenerated() {
        String chosen = "e2e-chosen-admin-token-" + System.nanoTime();
        other = Distribution.copyTo(tmp.resolve("switchboard-configured"));
        Distribution.Instance sb = other.start(Map.of("SWITCHBOARD_ADMIN_TOKEN", chosen)).awaitHealthy();

        assertFalse(sb.stdout().contains("admin token"), "nothing generated" + sb.output());
        assertTrue(sb.generatedAdminToken().isEmpty());
        assertFalse(sb.stdout().contains(chosen), "a configured secret is never printed" + sb.output());
        assertAdmin(sb, chosen);
        assertEquals(401, sb.get("/api/channels", null).status());
        assertEquals(401, sb.get("/api/channels", chosen + "x").status());
    }

    private static void assertAdmin(Distribution.Instance sb, String token) {
        Distribution.Answer a = sb.get("/api/channels", token);
        assertEquals(200, a.status(), a + sb.output());
        assertEquals(0, a.json().path("total").asInt(-1), a.toString());
        assertTrue(a.json().path("data").isArray(), a.toString());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
