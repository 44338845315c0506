package dev.switchboard.core.admin;

/** Who may call a route. */
public enum Access {
    /** Anyone, without a credential (login). */
    PUBLIC,
    /** Any enabled user; the endpoint limits what a plain user sees to their own. */
    USER,
    /** Admins and root. */
    ADMIN,
    /** Root only. */
    ROOT
}
