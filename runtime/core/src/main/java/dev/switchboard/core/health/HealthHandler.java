package dev.switchboard.core.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.server.Answers;
import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /health}, no auth: {@code {"status":"ok"}} when ready, else 503 with the phase. */
public final class HealthHandler extends Handler.Abstract.NonBlocking {

    private final Health health;

    /** @param health the readiness to report */
    public HealthHandler(Health health) {
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (Answers.refusedUnlessGet(request, response, callback, "/health")) {
            return true;
        }
        Health.Phase phase = health.phase();
        ObjectNode body = Json.object();
        body.put("status", phase == Health.Phase.READY ? "ok" : phase.name().toLowerCase(Locale.ROOT));
        response.getHeaders().put("Cache-Control", "no-store");
        Answers.json(response, callback, phase == Health.Phase.READY ? 200 : 503, body);
        return true;
    }
}
