package dev.switchboard.core.admin;

import dev.switchboard.core.store.Store;
import dev.switchboard.core.token.TokenKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Checks the admin credential: {@code Authorization: Bearer <admin token>}. Only the token's SHA-256 is
 * stored. The token comes from {@code admin_token} (the environment's {@code SWITCHBOARD_ADMIN_TOKEN}) when
 * set, which also replaces a stored one; else it is generated once, at first start.
 */
public final class AdminAuth {

    static final String META_KEY = "admin_token_sha256";

    private volatile byte[] hash;

    private AdminAuth(String hexHash) {
        this.hash = hexHash.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The credential check and, on first start, the generated token to show once. A generated token's hash is
     * stored only when the token is taken to be shown: a first start that fails before it serves (a taken port)
     * must not leave behind a stored token nobody has seen, or the next start would show none.
     */
    public static final class Setup {

        private final AdminAuth auth;
        private final String generated;
        private Store unsaved;

        private Setup(AdminAuth auth, Store unsaved, String generated) {
            this.auth = auth;
            this.unsaved = unsaved;
            this.generated = generated;
        }

        /** @return the credential check */
        public AdminAuth auth() {
            return auth;
        }

        /**
         * Takes the token generated at this start to show it: stores its hash first (once), so the token shown is
         * the one later starts accept.
         *
         * @return the token to print, if it was generated at this start
         */
        public synchronized Optional<String> generated() {
            if (unsaved != null) {
                unsaved.putMeta(META_KEY, new String(auth.hash, StandardCharsets.US_ASCII)).toCompletableFuture()
                        .join();
                unsaved = null;
            }
            return Optional.ofNullable(generated);
        }
    }

    /**
     * @param store where the hash lives
     * @param configured the {@code admin_token} setting, if set
     * @return the check, and the token when it was generated now (stored once {@link Setup#generated()} takes it)
     */
    public static Setup initialise(Store store, Optional<String> configured) {
        Optional<String> stored = store.meta(META_KEY);
        if (configured.isPresent()) {
            String h = TokenKeys.hash(configured.get().trim());
            if (!stored.equals(Optional.of(h))) {
                store.putMeta(META_KEY, h).toCompletableFuture().join();
            }
            return new Setup(new AdminAuth(h), null, null);
        }
        if (stored.isPresent()) {
            return new Setup(new AdminAuth(stored.get()), null, null);
        }
        String token = TokenKeys.generate("sb-admin-");
        return new Setup(new AdminAuth(TokenKeys.hash(token)), store, token);
    }

    /**
     * @param token a presented bearer token
     * @return whether it is the admin token
     */
    public boolean matches(String token) {
        byte[] presented = TokenKeys.hash(token.trim()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, hash);
    }

    /**
     * @param request an admin request
     * @return whether it carries the admin token
     */
    public boolean allows(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = TokenKeys.hash(header.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, hash);
    }
}
