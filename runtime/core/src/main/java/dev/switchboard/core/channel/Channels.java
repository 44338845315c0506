package dev.switchboard.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.upstream.ChannelSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels, held in memory for the relay and written through to the store. Admin changes are serialised
 * (a read-modify-write of one channel must not lose a concurrent edit) and visible only once committed.
 */
public final class Channels {

    private final Store store;
    private final SecretBox secrets;
    private final AdapterRegistry adapters;
    private final ChannelForm form;
    private final ResponseTimes responseTimes = new ResponseTimes();
    private final Map<Long, ChannelRecord> byId = new ConcurrentHashMap<>();
    private final Map<Long, Opened> opened = new ConcurrentHashMap<>();
    /** What {@link #list()} answers, rebuilt on each change: the relay reads it for every request. */
    private volatile List<ChannelRecord> snapshot = List.of();

    /**
     * @param store the store to load from and write to
     * @param secrets seals and opens vendor keys
     * @param adapters the installed channel types
     */
    public Channels(Store store, SecretBox secrets, AdapterRegistry adapters) {
        this.store = store;
        this.secrets = secrets;
        this.adapters = adapters;
        this.form = new ChannelForm(secrets);
        store.channels().forEach(c -> byId.put(c.id(), c));
        refresh();
    }

    /** @return every channel, by id */
    public List<ChannelRecord> list() {
        return snapshot;
    }

    /** @param id a channel id @return the channel */
    public Optional<ChannelRecord> get(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** @param channel a channel @return its vendor key in clear; never log or answer it */
    public String key(ChannelRecord channel) {
        return opened(channel).plainKey();
    }

    /** Every relayed request needs its channel's key: decrypted once per stored ciphertext, not per request. */
    private Opened opened(ChannelRecord channel) {
        Opened o = opened.get(channel.id());
        if (o == null || !o.cipher().equals(channel.keyCipher())) {
            o = new Opened(channel.keyCipher(), secrets.open(channel.keyCipher()), null, null, null);
            opened.put(channel.id(), o);
        }
        return o;
    }

    /**
     * A channel as its adapter sees it (key opened, base URL resolved), built once per stored version of the channel
     * and installed version of its type: every relayed request needs one, and building it parses URLs.
     *
     * @param channel a channel, as {@link #list()} or {@link #get} hold it
     * @param type its channel type, as installed now
     * @return the snapshot
     */
    public ChannelSnapshot snapshot(ChannelRecord channel, ChannelType type) {
        Opened o = opened(channel);
        // Identity: a change replaces the held record, and a plugin update the type.
        if (o.record() != channel || o.type() != type) {
            o = new Opened(o.cipher(), o.plainKey(), channel, type, ChannelSnapshot.of(channel, o.plainKey(), type));
            opened.put(channel.id(), o);
        }
        return o.snapshot();
    }

    /**
     * A channel as the relay last used it: its key as stored and in clear and, once asked for, its snapshot (null
     * until then) for one version of the record and its type. Never logged (no toString of the plain key).
     */
    private record Opened(String cipher, String plainKey, ChannelRecord record, ChannelType type,
            ChannelSnapshot snapshot) {
        @Override
        public String toString() {
            return "Opened[***]";
        }
    }

    /** @param type a type id @return whether a plugin serves it now */
    public boolean typeInstalled(String type) {
        return adapters.find(type).isPresent();
    }

    /**
     * @param input the admin's JSON
     * @return the created channel
     */
    public synchronized ChannelRecord create(JsonNode input) {
        ChannelRecord draft = form.apply(input, null, Optional.empty(), now());
        draft = form.apply(input, null, adapterFor(draft.type()), now());
        return commit(store.saveChannel(draft));
    }

    /**
     * @param id the channel
     * @param input the fields to change (absent fields keep their values)
     * @return the changed channel, or empty when there is no such channel
     */
    public synchronized Optional<ChannelRecord> update(long id, JsonNode input) {
        ChannelRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        ChannelRecord draft = form.apply(input, existing, Optional.empty(), now());
        draft = form.apply(input, existing, adapterFor(draft.type()), now());
        return Optional.of(commit(store.saveChannel(draft)));
    }

    /**
     * @param id the channel
     * @param status the new status
     * @param reason why, or {@code null}
     * @return the changed channel, or empty when there is no such channel
     */
    public synchronized Optional<ChannelRecord> setStatus(long id, String status, String reason) {
        ChannelRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        return Optional.of(commit(store.saveChannel(existing.withStatus(status, reason))));
    }

    /**
     * Takes an enabled channel out of routing because the vendor refused it; a channel an operator disabled
     * keeps its status and reason.
     *
     * @param id the channel
     * @param reason the vendor's message
     */
    public void autoDisable(long id, String reason) {
        ChannelRecord seen = byId.get(id);
        if (seen == null || !ChannelRecord.ENABLED.equals(seen.status())) {
            return; // Already out of routing: no lock, no commit for the requests that follow the first refusal.
        }
        synchronized (this) {
            ChannelRecord c = byId.get(id);
            if (c != null && ChannelRecord.ENABLED.equals(c.status())) {
                commit(store.saveChannel(c.withStatus(ChannelRecord.AUTO_DISABLED, reason)));
                org.slf4j.LoggerFactory.getLogger(Channels.class).warn("channel {} ({}) auto-disabled: {}", id,
                        c.name(), reason);
            }
        }
    }

    /**
     * A test measured the channel's latency: it joins the moving average, which is stored at once.
     *
     * @param id the channel
     * @param millis the latency a test measured
     * @return the changed channel, or empty when there is no such channel
     */
    public synchronized Optional<ChannelRecord> recordResponseTime(long id, long millis) {
        ChannelRecord c = byId.get(id);
        if (c == null) {
            return Optional.empty();
        }
        responseTimes.observe(id, c.responseTimeMs(), millis);
        return Optional.of(commit(store.saveChannel(c.withResponseTime(responseTimes.current(id, millis)))));
    }

    /**
     * Real traffic measured a channel's time to its first byte. In memory only, without locks: the relay calls
     * this; {@link #flushResponseTimes()} stores the averages later.
     *
     * @param id the channel
     * @param millis the time from sending the call to the upstream's answer
     */
    public void observeResponseTime(long id, long millis) {
        ChannelRecord c = byId.get(id);
        if (c != null) {
            responseTimes.observe(id, c.responseTimeMs(), millis);
        }
    }

    /**
     * @param c a channel
     * @return its response time as a moving average, including traffic not yet stored
     */
    public long responseTimeMs(ChannelRecord c) {
        return responseTimes.current(c.id(), c.responseTimeMs());
    }

    /** Stores the response times that changed since the last call, in one group of writes. */
    public void flushResponseTimes() {
        List<java.util.concurrent.CompletionStage<ChannelRecord>> writes = new java.util.ArrayList<>();
        synchronized (this) {
            for (long id : responseTimes.drainChanged()) {
                ChannelRecord c = byId.get(id);
                if (c != null) {
                    writes.add(store.saveChannel(c.withResponseTime(responseTimes.current(id, c.responseTimeMs()))));
                }
            }
            writes.forEach(this::commit);
        }
    }

    /**
     * Puts an auto-disabled channel back into routing (a re-test passed); a channel an operator disabled, or
     * enabled meanwhile, is left as it is.
     *
     * @param id the channel
     * @return whether it was re-enabled
     */
    public synchronized boolean reEnable(long id) {
        ChannelRecord c = byId.get(id);
        if (c == null || !ChannelRecord.AUTO_DISABLED.equals(c.status())) {
            return false;
        }
        commit(store.saveChannel(c.withStatus(ChannelRecord.ENABLED, null)));
        return true;
    }

    /**
     * @param id the channel
     * @param balance the balance the vendor reported
     * @return the changed channel, or empty when there is no such channel
     */
    public synchronized Optional<ChannelRecord> recordBalance(long id, dev.switchboard.api.provider.Balance balance) {
        ChannelRecord existing = byId.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        return Optional.of(commit(store.saveChannel(Balances.apply(existing, balance))));
    }

    /**
     * Keeps the in-memory record in step with the accounting (the store is patched by the write-behind).
     *
     * @param id the channel
     * @param used spend through it, micro-units
     */
    public synchronized void applyUsedQuota(long id, long used) {
        ChannelRecord c = byId.get(id);
        if (c != null) {
            byId.put(id, c.withUsedQuota(used));
        }
    }

    /**
     * @param id the channel
     * @return whether it existed
     */
    public synchronized boolean delete(long id) {
        boolean existed = join(store.deleteChannel(id));
        byId.remove(id);
        opened.remove(id);
        responseTimes.forget(id);
        refresh();
        return existed;
    }

    /**
     * Takes the stored channels as they are now (another node changed them): added, replaced and removed ones.
     *
     * @param stored every stored channel
     */
    public synchronized void reload(List<ChannelRecord> stored) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (ChannelRecord c : stored) {
            ids.add(c.id());
            byId.put(c.id(), c);
        }
        for (Long gone : new java.util.ArrayList<>(byId.keySet())) {
            if (!ids.contains(gone)) {
                byId.remove(gone);
                opened.remove(gone);
                responseTimes.forget(gone);
            }
        }
        refresh();
    }

    private void refresh() {
        snapshot = byId.values().stream().sorted(Comparator.comparingLong(ChannelRecord::id)).toList();
    }

    private Optional<ProviderAdapter> adapterFor(String type) {
        return adapters.find(type).map(InstalledAdapter::adapter);
    }

    private ChannelRecord commit(java.util.concurrent.CompletionStage<ChannelRecord> write) {
        ChannelRecord saved = join(write);
        byId.put(saved.id(), saved);
        refresh();
        return saved;
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
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
