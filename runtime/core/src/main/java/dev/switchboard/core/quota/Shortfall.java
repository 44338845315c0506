package dev.switchboard.core.quota;

/** A balance that cannot cover a request's estimate. */
public final class Shortfall extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which balance, what is left and what the request may cost
     */
    public Shortfall(String message) {
        super(message, null, false, false);
    }
}
