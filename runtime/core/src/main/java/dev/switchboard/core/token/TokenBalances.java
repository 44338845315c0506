package dev.switchboard.core.token;

import dev.switchboard.core.store.TokenRecord;

/**
 * The live side of token quotas, kept by the accounting: what answers show, and what an admin's quota change
 * resets.
 */
public interface TokenBalances {

    /** Shows records as they are; ignores changes. */
    TokenBalances NONE = new TokenBalances() {
        @Override
        public TokenRecord live(TokenRecord t) {
            return t;
        }

        @Override
        public void quotaChanged(TokenRecord t) {
            // Nothing kept.
        }
    };

    /** @param t a token record @return it with its live remaining and used quota */
    TokenRecord live(TokenRecord t);

    /** @param t a token whose quota or unlimited flag an admin just set (committed) */
    void quotaChanged(TokenRecord t);

    /**
     * @param t a record whose unlimited flag (not its quota) an admin just set (committed); by default as a quota
     *     change
     */
    default void unlimitedChanged(TokenRecord t) {
        quotaChanged(t);
    }

    /** @param tokenId a deleted token, whose live balance need no longer be kept */
    default void forget(long tokenId) {
        // Nothing kept.
    }
}
