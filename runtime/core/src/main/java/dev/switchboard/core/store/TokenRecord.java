package dev.switchboard.core.store;

import java.util.List;

/**
 * A relay token as stored. The key itself is never stored: only its SHA-256 and its masked form.
 *
 * @param id the id, assigned by the store
 * @param name the owner's name for it
 * @param keyHash hex SHA-256 of the key
 * @param keyMasked the key as answers show it
 * @param status {@code enabled} or {@code disabled} (expired and exhausted are derived)
 * @param expiresAt unix seconds, or {@code null} for never
 * @param unlimitedQuota whether {@code remainQuota} is ignored
 * @param remainQuota what is left, micro-units
 * @param usedQuota what was spent, micro-units
 * @param models allowed models; empty means all
 * @param subnets allowed client subnets (CIDR); empty means all
 * @param group the group override, or {@code null} for the owner's
 * @param rpm requests per minute, or {@code null} for no limit
 * @param tpm tokens per minute, or {@code null} for no limit
 * @param maxConcurrency concurrent requests, or {@code null} for no limit
 * @param userId the owner
 * @param createdAt unix seconds
 */
public record TokenRecord(long id, String name, String keyHash, String keyMasked, String status, Long expiresAt,
        boolean unlimitedQuota, long remainQuota, long usedQuota, List<String> models, List<String> subnets,
        String group, Integer rpm, Integer tpm, Integer maxConcurrency, long userId, long createdAt) {

    /** @param newId the id @return a copy with that id */
    public TokenRecord withId(long newId) {
        return new TokenRecord(newId, name, keyHash, keyMasked, status, expiresAt, unlimitedQuota, remainQuota,
                usedQuota, models, subnets, group, rpm, tpm, maxConcurrency, userId, createdAt);
    }

    /** @param newRemain what is left @param newUsed what was spent @return a copy with these balances */
    public TokenRecord withBalance(long newRemain, long newUsed) {
        return new TokenRecord(id, name, keyHash, keyMasked, status, expiresAt, unlimitedQuota, newRemain, newUsed,
                models, subnets, group, rpm, tpm, maxConcurrency, userId, createdAt);
    }
}
