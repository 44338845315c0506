package dev.switchboard.core.user;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.store.KeyMask;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.store.UserRecord;
import dev.switchboard.core.token.TokenKeys;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users, in memory by id, user name and access-token hash, written through to the store (each change is
 * committed before the method returns). Balances move in memory through the accounting, which writes them behind;
 * {@link #applyBalance} keeps these records in step.
 */
public final class Users {

    /** Id of {@code root}, the first user. */
    public static final long ROOT_ID = 1;
    /** User name of the first user. */
    public static final String ROOT_NAME = "root";

    private final Store store;
    private final Passwords passwords;
    private final Map<Long, UserRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, UserRecord> byName = new ConcurrentHashMap<>();
    private final Map<String, UserRecord> byAccessHash = new ConcurrentHashMap<>();

    /**
     * @param store the store to load from and write to
     * @param passwords the password hashing
     */
    public Users(Store store, Passwords passwords) {
        this.store = store;
        this.passwords = passwords;
        store.users().forEach(this::index);
    }

    /** @return the password hashing */
    public Passwords passwords() {
        return passwords;
    }

    /**
     * Makes sure {@code root} exists. Created with the configured password, else a generated one (returned, to be
     * shown once); a configured password that no longer matches replaces root's (the way to reset it).
     *
     * @param configured the {@code root_password} setting, if set
     * @return the generated password, when root was created now without a configured one
     */
    public synchronized Optional<String> ensureRoot(Optional<String> configured) {
        UserRecord root = byId.get(ROOT_ID);
        if (root != null) {
            if (configured.isPresent() && !passwords.verify(configured.get(), root.passwordHash())) {
                save(root.withPasswordHash(passwords.hash(configured.get())));
            }
            return Optional.empty();
        }
        String password = configured.orElseGet(Passwords::generate);
        save(new UserRecord(ROOT_ID, ROOT_NAME, "Root", Role.ROOT.wireName(), "enabled", "default", 0, true, 0, 0,
                passwords.hash(password), null, null, now()));
        return configured.isPresent() ? Optional.empty() : Optional.of(password);
    }

    /** @return every user, by id */
    public List<UserRecord> list() {
        return byId.values().stream().sorted(Comparator.comparingLong(UserRecord::id)).toList();
    }

    /** @param id a user id @return the user */
    public Optional<UserRecord> get(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** @param username a user name @return the user */
    public Optional<UserRecord> byUsername(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byName.get(username));
    }

    /**
     * @param token a presented personal access token
     * @return its user
     */
    public Optional<UserRecord> byAccessToken(String token) {
        return Optional.ofNullable(byAccessHash.get(TokenKeys.hash(token)));
    }

    /**
     * @param input the admin's JSON
     * @param defaultQuota the quota when the input names none
     * @return the new user
     */
    public synchronized UserRecord create(JsonNode input, long defaultQuota) {
        UserRecord draft = UserForm.apply(input, null, passwords::hash, defaultQuota, now());
        if (byName.containsKey(draft.username())) {
            throw new BadInput(409, "user_exists", "username", "a user named '" + draft.username()
                    + "' exists already");
        }
        return save(draft);
    }

    /**
     * @param id the user
     * @param input the fields to change
     * @return the changed user, or empty when there is none
     */
    public synchronized Optional<UserRecord> update(long id, JsonNode input) {
        UserRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        UserRecord draft = UserForm.apply(input, existing, passwords::hash, 0, now());
        UserRecord other = byName.get(draft.username());
        if (other != null && other.id() != id) {
            throw new BadInput(409, "user_exists", "username", "a user named '" + draft.username()
                    + "' exists already");
        }
        if (id == ROOT_ID && (!Role.ROOT.wireName().equals(draft.role()) || !"enabled".equals(draft.status()))) {
            throw BadInput.invalid("role", "root stays root and enabled");
        }
        return Optional.of(save(draft));
    }

    /**
     * @param id the user
     * @param password the new password
     * @return the user, or empty when there is none
     */
    public synchronized Optional<UserRecord> setPassword(long id, String password) {
        UserRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        return Optional.of(save(existing.withPasswordHash(passwords.hash(UserForm.checkedPassword(password)))));
    }

    /**
     * Issues a new personal access token, replacing the previous one.
     *
     * @param id the user
     * @return the token, shown once
     */
    public synchronized Optional<String> issueAccessToken(long id) {
        UserRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        String key = TokenKeys.generate("sb-pat-");
        save(existing.withAccessToken(TokenKeys.hash(key), KeyMask.mask(key)));
        return Optional.of(key);
    }

    /**
     * @param id the user
     * @return whether it existed
     */
    public synchronized boolean delete(long id) {
        if (id == ROOT_ID) {
            throw new BadInput(400, "invalid_value", null, "root cannot be deleted");
        }
        boolean existed = join(store.deleteUser(id));
        unindex(byId.remove(id));
        return existed;
    }

    /**
     * Keeps the in-memory record in step with the accounting (the store is patched by the write-behind).
     *
     * @param id the user
     * @param quota what is left
     * @param used what was spent
     * @param requests requests settled
     */
    public synchronized void applyBalance(long id, long quota, long used, long requests) {
        UserRecord u = byId.get(id);
        if (u != null) {
            index(u.withBalance(quota, used, requests));
        }
    }

    private UserRecord save(UserRecord draft) {
        UserRecord saved = join(store.saveUser(draft));
        unindex(byId.get(saved.id()));
        index(saved);
        return saved;
    }

    /**
     * Takes the stored users as they are now (another node changed them): added, replaced and removed ones.
     *
     * @param stored every stored user
     */
    public synchronized void reload(List<UserRecord> stored) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        stored.forEach(u -> ids.add(u.id()));
        for (UserRecord old : List.copyOf(byId.values())) {
            if (!ids.contains(old.id())) {
                byId.remove(old.id());
                byName.remove(old.username());
                if (old.accessTokenHash() != null) {
                    byAccessHash.remove(old.accessTokenHash());
                }
            }
        }
        stored.forEach(this::index);
    }

    private void index(UserRecord u) {
        UserRecord old = byId.put(u.id(), u);
        if (old != null && !old.username().equals(u.username())) {
            byName.remove(old.username());
        }
        if (old != null && old.accessTokenHash() != null && !old.accessTokenHash().equals(u.accessTokenHash())) {
            byAccessHash.remove(old.accessTokenHash());
        }
        byName.put(u.username(), u);
        if (u.accessTokenHash() != null) {
            byAccessHash.put(u.accessTokenHash(), u);
        }
    }

    private void unindex(UserRecord u) {
        if (u == null) {
            return;
        }
        byName.remove(u.username(), byName.get(u.username()));
        if (u.accessTokenHash() != null) {
            byAccessHash.remove(u.accessTokenHash());
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException(e.getMessage(), e);
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
