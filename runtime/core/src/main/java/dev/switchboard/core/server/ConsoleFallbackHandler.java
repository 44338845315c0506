package dev.switchboard.core.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What {@code /} answers while no console plugin is active: 404 with a short message, so an operator knows
 * the admin API still works and what to install.
 */
public final class ConsoleFallbackHandler extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Answers.error(response, callback, 404, "invalid_request_error", "console_not_installed",
                "the admin console is not installed (put the plugin-console jar in plugins/); the admin API is "
                        + "served under /api/ and the relay under /v1/");
        return true;
    }
}
