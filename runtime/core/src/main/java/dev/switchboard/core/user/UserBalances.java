package dev.switchboard.core.user;

import dev.switchboard.core.store.UserRecord;

/** The live side of user quotas, kept by the accounting: what answers show, and what an admin's change resets. */
public interface UserBalances {

    /** Shows records as they are; ignores changes. */
    UserBalances NONE = new UserBalances() {
        @Override
        public UserRecord live(UserRecord u) {
            return u;
        }

        @Override
        public void quotaChanged(UserRecord u) {
            // Nothing kept.
        }
    };

    /** @param u a user record @return it with its live quota, used quota and request count */
    UserRecord live(UserRecord u);

    /** @param u a user whose quota, unlimited flag or status an admin just set (committed) */
    void quotaChanged(UserRecord u);

    /**
     * @param u a record whose unlimited flag (not its quota) an admin just set (committed); by default as a quota
     *     change
     */
    default void unlimitedChanged(UserRecord u) {
        quotaChanged(u);
    }
}
