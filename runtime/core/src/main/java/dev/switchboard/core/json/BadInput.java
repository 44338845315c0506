package dev.switchboard.core.json;

/**
 * A client's input that cannot be used. Carries the OpenAI-style error code and a message that says what to
 * fix; the handler turns it into a 4xx.
 */
public final class BadInput extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String param;

    /**
     * @param status the HTTP status, e.g. 400
     * @param code the error code, e.g. {@code invalid_value}
     * @param param the field at fault, or {@code null}
     * @param message what is wrong and what to do
     */
    public BadInput(int status, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    /**
     * @param param the field at fault
     * @param message what is wrong and what to do
     * @return a 400 {@code invalid_value}
     */
    public static BadInput invalid(String param, String message) {
        return new BadInput(400, "invalid_value", param, message);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the error code */
    public String code() {
        return code;
    }

    /** @return the field at fault, or {@code null} */
    public String param() {
        return param;
    }
}
