package dev.switchboard.api.provider;

import java.util.Objects;

/**
 * Thrown (or used to fail a stage) by an adapter when an upstream answer or side call is an error.
 */
public class UpstreamErrorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient UpstreamError error;

    /** @param error the translated error */
    public UpstreamErrorException(UpstreamError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    /** @return the translated error */
    public UpstreamError error() {
        return error;
    }
}
