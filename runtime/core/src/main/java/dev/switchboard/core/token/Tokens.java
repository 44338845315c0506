package dev.switchboard.core.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.KeyMask;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.store.TokenRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The relay tokens, in memory by id and by key hash, written through to the store. */
public final class Tokens {

    /** Owner of tokens created with the admin token (the root user). */
    public static final long ROOT_USER = 1;

    private final Store store;
    private final Map<Long, TokenRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, TokenRecord> byHash = new ConcurrentHashMap<>();

    /** @param store the store to load from and write to */
    public Tokens(Store store) {
        this.store = store;
        store.tokens().forEach(this::index);
    }

    /** A created token and its key, which is shown once. @param token the record @param key the key */
    public record Created(TokenRecord token, String key) {
    }

    /**
     * The relay's lookup: one SHA-256 and one map read.
     *
     * @param key the presented key
     * @return the token, whatever its status
     */
    public Optional<TokenRecord> byKey(String key) {
        return Optional.ofNullable(byHash.get(TokenKeys.hash(key)));
    }

    /** @return every token, by id */
    public List<TokenRecord> list() {
        return byId.values().stream().sorted(Comparator.comparingLong(TokenRecord::id)).toList();
    }

    /** @param id a token id @return the token */
    public Optional<TokenRecord> get(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * @param input the admin's JSON
     * @param userId the owner
     * @return the token and its key (shown once)
     */
    public synchronized Created create(JsonNode input, long userId) {
        String key = TokenKeys.generate("sk-");
        TokenRecord draft = TokenForm.apply(input, null, TokenKeys.hash(key), KeyMask.mask(key), userId, now());
        TokenRecord saved = join(store.saveToken(draft));
        index(saved);
        return new Created(saved, key);
    }

    /**
     * @param id the token
     * @param input the fields to change
     * @return the changed token, or empty when there is no such token
     */
    public synchronized Optional<TokenRecord> update(long id, JsonNode input) {
        TokenRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        TokenRecord draft = TokenForm.apply(input, existing, existing.keyHash(), existing.keyMasked(),
                existing.userId(), now());
        TokenRecord saved = join(store.saveToken(draft));
        index(saved);
        return Optional.of(saved);
    }

    /**
     * @param id the token
     * @return whether it existed
     */
    public synchronized boolean delete(long id) {
        boolean existed = join(store.deleteToken(id));
        TokenRecord gone = byId.remove(id);
        if (gone != null) {
            byHash.remove(gone.keyHash());
        }
        return existed;
    }

    /**
     * Keeps the in-memory record in step with the accounting (the store is patched by the write-behind).
     *
     * @param id the token
     * @param remain what is left
     * @param used what was spent
     */
    public synchronized void applyBalance(long id, long remain, long used) {
        TokenRecord t = byId.get(id);
        if (t != null) {
            index(t.withBalance(remain, used));
        }
    }

    /**
     * @param t a token
     * @param nowSeconds the time
     * @return {@code enabled}, {@code disabled}, {@code expired} or {@code exhausted}
     */
    public static String effectiveStatus(TokenRecord t, long nowSeconds) {
        if (!"enabled".equals(t.status())) {
            return t.status();
        }
        if (t.expiresAt() != null && t.expiresAt() <= nowSeconds) {
            return "expired";
        }
        if (!t.unlimitedQuota() && t.remainQuota() <= 0) {
            return "exhausted";
        }
        return "enabled";
    }

    /**
     * Takes the stored tokens as they are now (another node changed them): added, replaced and revoked ones.
     *
     * @param stored every stored token
     */
    public synchronized void reload(List<TokenRecord> stored) {
        Map<Long, TokenRecord> now = new java.util.HashMap<>();
        stored.forEach(t -> now.put(t.id(), t));
        for (TokenRecord old : List.copyOf(byId.values())) {
            TokenRecord t = now.get(old.id());
            if (t == null || !t.keyHash().equals(old.keyHash())) {
                byHash.remove(old.keyHash());
                if (t == null) {
                    byId.remove(old.id());
                }
            }
        }
        stored.forEach(this::index);
    }

    private void index(TokenRecord t) {
        byId.put(t.id(), t);
        byHash.put(t.keyHash(), t);
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
