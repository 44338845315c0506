package dev.switchboard.core.auth;

import dev.switchboard.core.user.Role;

/**
 * The authenticated caller of an admin request.
 *
 * @param userId the user
 * @param username their name
 * @param role their role
 * @param session the console session, or {@code null} when a bearer token was presented
 */
public record Principal(long userId, String username, Role role, Sessions.Session session) {

    /** @return whether the caller may use the admin endpoints */
    public boolean isAdmin() {
        return role.isAdmin();
    }

    /** @return whether a cookie authenticated the request (so state changes need the CSRF token) */
    public boolean viaSession() {
        return session != null;
    }
}
