package dev.switchboard.core.routing;

/** No channel can serve the request; says whether none lists the model (404) or none is usable (503), and why. */
public final class NoChannelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean unknownModel;

    /**
     * @param unknownModel true when no channel of the group lists the model at all
     * @param message what to tell the client
     */
    public NoChannelException(boolean unknownModel, String message) {
        super(message, null, false, false);
        this.unknownModel = unknownModel;
    }

    /** @return whether no channel lists the model (else: channels exist but none is usable) */
    public boolean unknownModel() {
        return unknownModel;
    }
}
