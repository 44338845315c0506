package dev.switchboard.core.relay;

import java.util.concurrent.TimeoutException;

/** An upstream call cut by one of the relay's timers. */
final class UpstreamTimeout extends TimeoutException {

    private static final long serialVersionUID = 1L;

    UpstreamTimeout(String message) {
        super(message);
    }
}
