package dev.switchboard.core.store;

import java.util.List;
import java.util.Map;

/**
 * One window of write-behind accounting, committed as one change: the balances of the tokens, users and channels
 * that moved, and the new log entries. Balances are absolute values (one node holds every balance), or with
 * {@code deltas} what was spent since the last batch (several nodes lease their quota from a shared database; the
 * remaining quotas are then moved by the leases, and a delta batch carries only used quota and request counts).
 * They patch the stored records' balance fields only, so a configuration change committed meanwhile is never
 * overwritten.
 *
 * @param tokens token id to balance
 * @param users user id to balance
 * @param channelUsed channel id to its used quota
 * @param logs new log entries, ids assigned, encoded
 * @param deltas whether used quotas and request counts are increments (remaining quotas then unused)
 */
public record UsageBatch(Map<Long, TokenBalance> tokens, Map<Long, UserBalance> users, Map<Long, Long> channelUsed,
        List<EncodedLog> logs, boolean deltas) {

    /** Absolute balances. @param tokens by id @param users by id @param channelUsed by id @param logs new entries */
    public UsageBatch(Map<Long, TokenBalance> tokens, Map<Long, UserBalance> users, Map<Long, Long> channelUsed,
            List<EncodedLog> logs) {
        this(tokens, users, channelUsed, logs, false);
    }

    /** @param remain what is left @param used what was spent */
    public record TokenBalance(long remain, long used) {
    }

    /** @param quota what is left @param used what was spent @param requests requests settled */
    public record UserBalance(long quota, long used, long requests) {
    }

    /** @return whether there is nothing to write */
    public boolean isEmpty() {
        return tokens.isEmpty() && users.isEmpty() && channelUsed.isEmpty() && logs.isEmpty();
    }
}
