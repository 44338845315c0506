package dev.switchboard.core.relay;

import java.io.IOException;

/** The client went away; its upstream call is cancelled. */
final class ClientGone extends IOException {

    private static final long serialVersionUID = 1L;

    ClientGone(Throwable cause) {
        super("the client disconnected", cause);
    }
}
