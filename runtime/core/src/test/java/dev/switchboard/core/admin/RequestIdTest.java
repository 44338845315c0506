package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.testkit.AdminApiServer;
import dev.switchboard.core.testkit.Reply;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every answer, success or failure, carries its own X-Request-Id. */
class RequestIdTest extends AdminApiTest {

    @Test
    void everyAnswerHasADistinctRequestId() {
        long id = createChannel("{'name':'x','type':'openai','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        List<Reply> replies = List.of(
                api.get("/api/channels"),
                api.post("/api/channels", json("{'name':'y','type':'openai','key':'" + VENDOR_KEY + "'}")),
                api.delete("/api/channels/" + id),
                api.post("/api/channels", "{bad"),
                api.send(api.anonymous("/api/channels").GET()),
                api.get("/api/nowhere"),
                api.send(api.request("/api/channels").method("PATCH", HttpRequest.BodyPublishers.noBody())),
                api.post("/api/channels", "[\"" + "x".repeat(AdminApiServer.MAX_BODY) + "\"]"),
                api.get("/api/channel-types"),
                api.send(api.anonymous("/health").GET()),
                api.send(api.anonymous("/").GET()),
                api.send(api.anonymous("/v1/chat/completions").GET()));
        List<Integer> statuses = replies.stream().map(Reply::status).toList();
        assertEquals(List.of(200, 201, 204, 400, 401, 404, 405, 413, 200, 200, 404, 404), statuses);
        Set<String> ids = new HashSet<>();
        for (Reply r : replies) {
            String requestId = r.header("X-Request-Id").orElseThrow(() -> new AssertionError("no X-Request-Id: " + r));
            assertTrue(!requestId.isBlank());
            ids.add(requestId);
        }
        assertEquals(replies.size(), ids.size(), "request ids are distinct");
    }
}
