package dev.switchboard.core.store;

/** The store cannot do what was asked; the message says why and, where it can, what to do. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
