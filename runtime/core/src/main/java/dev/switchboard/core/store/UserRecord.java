package dev.switchboard.core.store;

/**
 * A user as stored. The password is kept as a salted slow hash only; the personal access token as its SHA-256.
 *
 * @param id the id, assigned by the store (1 is {@code root})
 * @param username the login name, unique
 * @param displayName a name to show, or {@code null}
 * @param role {@code root}, {@code admin} or {@code user}
 * @param status {@code enabled} or {@code disabled}
 * @param group the pricing and routing group
 * @param quota what is left, micro-units (ignored when unlimited)
 * @param unlimitedQuota whether {@code quota} is ignored
 * @param usedQuota what was spent, micro-units
 * @param requestCount relayed requests settled
 * @param passwordHash the password hash ({@code pbkdf2-sha256$iterations$salt$hash}), or {@code null}
 * @param accessTokenHash hex SHA-256 of the personal access token, or {@code null}
 * @param accessTokenMasked the access token as answers show it, or {@code null}
 * @param createdAt unix seconds
 */
public record UserRecord(long id, String username, String displayName, String role, String status, String group,
        long quota, boolean unlimitedQuota, long usedQuota, long requestCount, String passwordHash,
        String accessTokenHash, String accessTokenMasked, long createdAt) {

    /** @param newId the id @return a copy with that id */
    public UserRecord withId(long newId) {
        return new UserRecord(newId, username, displayName, role, status, group, quota, unlimitedQuota, usedQuota,
                requestCount, passwordHash, accessTokenHash, accessTokenMasked, createdAt);
    }

    /**
     * @param newQuota what is left
     * @param newUsed what was spent
     * @param newRequests requests settled
     * @return a copy with these balances
     */
    public UserRecord withBalance(long newQuota, long newUsed, long newRequests) {
        return new UserRecord(id, username, displayName, role, status, group, newQuota, unlimitedQuota, newUsed,
                newRequests, passwordHash, accessTokenHash, accessTokenMasked, createdAt);
    }

    /** @param hash the new password hash @return a copy with it */
    public UserRecord withPasswordHash(String hash) {
        return new UserRecord(id, username, displayName, role, status, group, quota, unlimitedQuota, usedQuota,
                requestCount, hash, accessTokenHash, accessTokenMasked, createdAt);
    }

    /** @param hash SHA-256 of the token @param masked its masked form @return a copy with that access token */
    public UserRecord withAccessToken(String hash, String masked) {
        return new UserRecord(id, username, displayName, role, status, group, quota, unlimitedQuota, usedQuota,
                requestCount, passwordHash, hash, masked, createdAt);
    }
}
