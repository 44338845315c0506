package dev.switchboard.core.user;

import java.util.Locale;

/** What a user may do: {@code root} and {@code admin} manage the gateway; a {@code user} manages their own. */
public enum Role {
    /** A plain user: their own tokens, logs and statistics. */
    USER,
    /** Manages channels, users (not admins), prices and settings. */
    ADMIN,
    /** Everything, including other admins. */
    ROOT;

    /** @return the wire name, e.g. {@code admin} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether this role may use the admin endpoints */
    public boolean isAdmin() {
        return this != USER;
    }

    /**
     * @param wire a wire name
     * @return the role, or {@code null} when there is none by that name
     */
    public static Role parse(String wire) {
        for (Role r : values()) {
            if (r.wireName().equals(wire)) {
                return r;
            }
        }
        return null;
    }
}
