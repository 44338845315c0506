package dev.switchboard.core.admin;

/** Where admin actions are recorded, with who did them. Must not block. */
@FunctionalInterface
public interface AuditSink {

    /** Records nothing. */
    AuditSink NONE = (userId, action, status, clientIp, requestId) -> { };

    /**
     * @param userId who did it (0 when unknown, e.g. a failed login)
     * @param action what was done, e.g. {@code POST /api/channels}
     * @param status the answer's status
     * @param clientIp where from
     * @param requestId the request id
     */
    void record(long userId, String action, int status, String clientIp, String requestId);
}
