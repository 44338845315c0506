package dev.switchboard.core.store;

import dev.switchboard.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one MapDB file with transactions (a write-ahead log, so a crash loses no committed
 * change). MapDB has one global transaction per database, so one thread owns every write: callers queue
 * changes, the writer applies everything queued, commits once, then completes each caller's stage (group
 * commit), giving way to request threads between steps ({@link #giveWay}). Reads come from the in-memory
 * registries; the store is read at start-up only.
 */
public final class MapDbStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(MapDbStore.class);
    private static final int MAX_GROUP = 512;
    private static final List<String> LEGACY_LOGS = List.of("logs", "request_logs");
    private static final int MOVE_BATCH = 10_000;

    private final DB db;
    private final BTreeMap<Long, byte[]> channels;
    private final BTreeMap<Long, byte[]> tokens;
    private final HTreeMap<String, String> meta;
    private final BTreeMap<Long, byte[]> users;
    private final BTreeMap<String, byte[]> prices;
    private final BTreeMap<String, byte[]> groups;
    private final LogPages logs;
    private final Atomic.Long channelIds;
    private final Atomic.Long tokenIds;
    private final Atomic.Long userIds;
    private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;

    /**
     * Opens (or creates) the store file and migrates it to {@link #SCHEMA_VERSION}.
     *
     * @param file the database file, e.g. {@code data/switchboard.db}
     */
    public MapDbStore(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        try {
            db = open(file);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage()
                    + " (is another Switchboard running on the same data folder?)", e);
        }
        channels = db.treeMap("channels", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        tokens = db.treeMap("tokens", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        meta = db.hashMap("meta", Serializer.STRING, Serializer.STRING).createOrOpen();
        channelIds = db.atomicLong("channel_ids").createOrOpen();
        tokenIds = db.atomicLong("token_ids").createOrOpen();
        users = db.treeMap("users", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        prices = db.treeMap("prices", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        groups = db.treeMap("groups", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        logs = new LogPages(db);
        userIds = db.atomicLong("user_ids").createOrOpen();
        migrate();
        moveLegacyLogs();
        writer = new Thread(this::writeLoop, "switchboard-store-writer");
        // close() drains the queue and joins; a daemon writer never keeps a JVM alive on its own.
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * File channel, not memory-mapped: MapDB forces a mapped file to disk one 1 MiB slice at a time, so every
     * commit cost one msync per MiB of the whole store (500 for a 500 MB store, 10 commits a second) and the
     * writer slowed as the store grew. The channel forces the file once per commit; with the request log in pages
     * the writer's reads are few. Durability is the write-ahead log's: each commit is forced to disk.
     */
    private static DB open(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
    }

    /**
     * Earlier layouts kept one tree record per request log entry: {@code logs} (stores written before 0.1) and
     * {@code request_logs} (a development build). Their entries move to {@link LogPages} once, in commits of
     * {@value #MOVE_BATCH}, so an interrupted move resumes at the next start.
     */
    private void moveLegacyLogs() {
        for (String name : LEGACY_LOGS) {
            if (db.exists(name)) {
                moveLegacyLogs(db.treeMap(name, Serializer.LONG, Serializer.BYTE_ARRAY).open());
            }
        }
    }

    private void moveLegacyLogs(BTreeMap<Long, byte[]> legacy) {
        if (legacy.isEmpty()) {
            return;
        }
        LOG.info("moving {} request log entries to the store's faster layout (once)", legacy.sizeLong());
        long moved = 0;
        while (!legacy.isEmpty()) {
            List<Long> keys = new ArrayList<>(MOVE_BATCH);
            List<EncodedLog> entries = new ArrayList<>(MOVE_BATCH);
            for (java.util.Map.Entry<Long, byte[]> e : legacy.entrySet()) {
                keys.add(e.getKey());
                // Both layouts keyed each entry by its id: the bytes move as they are, without a decode.
                entries.add(new EncodedLog(e.getKey(), e.getValue()));
                if (keys.size() == MOVE_BATCH) {
                    break;
                }
            }
            logs.add(entries);
            keys.forEach(legacy::remove);
            db.commit();
            moved += keys.size();
        }
        LOG.info("moved {} request log entries", moved);
    }

    private void migrate() {
        String version = meta.get("schema_version");
        int current = version == null ? 0 : Integer.parseInt(version);
        if (current > SCHEMA_VERSION) {
            db.close();
            throw new StoreException("the store was written by a newer Switchboard (schema " + current
                    + ", this version knows " + SCHEMA_VERSION + "); upgrade Switchboard or restore a backup", null);
        }
        if (current < SCHEMA_VERSION) {
            // 0 -> 1: a new store, nothing to convert.
            // 1 -> 2 (accounting): users, prices, groups and logs are new collections, created empty above. Tokens of
            // a version 1 store belong to user 1, which the user registry creates as root on its first start, and
            // their remain/used quotas carry over as they are; the default price table is seeded once (meta
            // prices_seeded). Ids of users start after root.
            if (current >= 1 && userIds.get() < 1) {
                userIds.set(1);
            }
            meta.put("schema_version", Integer.toString(SCHEMA_VERSION));
            db.commit();
            LOG.info("store schema {} -> {}", current, SCHEMA_VERSION);
        }
    }

    @Override
    public List<ChannelRecord> channels() {
        return channels.values().stream().map(b -> Json.record(b, ChannelRecord.class)).toList();
    }

    @Override
    public List<TokenRecord> tokens() {
        return tokens.values().stream().map(b -> Json.record(b, TokenRecord.class)).toList();
    }

    @Override
    public CompletionStage<ChannelRecord> saveChannel(ChannelRecord channel) {
        return submit(() -> {
            ChannelRecord c = channel.id() == 0 ? channel.withId(channelIds.incrementAndGet()) : channel;
            raise(channelIds, c.id());
            channels.put(c.id(), Json.recordBytes(c));
            return c;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteChannel(long id) {
        return submit(() -> channels.remove(id) != null);
    }

    @Override
    public CompletionStage<TokenRecord> saveToken(TokenRecord token) {
        return submit(() -> {
            TokenRecord t = token.id() == 0 ? token.withId(tokenIds.incrementAndGet()) : token;
            raise(tokenIds, t.id());
            tokens.put(t.id(), Json.recordBytes(t));
            return t;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteToken(long id) {
        return submit(() -> tokens.remove(id) != null);
    }

    @Override
    public Optional<String> meta(String key) {
        return Optional.ofNullable(meta.get(key));
    }

    @Override
    public java.util.Map<String, String> allMeta() {
        return new java.util.TreeMap<>(meta);
    }

    @Override
    public CompletionStage<Void> putMeta(String key, String value) {
        return submit(() -> {
            meta.put(key, value);
            return null;
        });
    }

    @Override
    public List<UserRecord> users() {
        return users.values().stream().map(b -> Json.record(b, UserRecord.class)).toList();
    }

    @Override
    public CompletionStage<UserRecord> saveUser(UserRecord user) {
        return submit(() -> {
            UserRecord u = user.id() == 0 ? user.withId(userIds.incrementAndGet()) : user;
            raise(userIds, u.id());
            users.put(u.id(), Json.recordBytes(u));
            return u;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteUser(long id) {
        return submit(() -> users.remove(id) != null);
    }

    @Override
    public List<PriceRecord> prices() {
        return prices.values().stream().map(b -> Json.record(b, PriceRecord.class)).toList();
    }

    @Override
    public CompletionStage<PriceRecord> savePrice(PriceRecord price) {
        return submit(() -> {
            prices.put(price.model(), Json.recordBytes(price));
            return price;
        });
    }

    @Override
    public CompletionStage<Boolean> deletePrice(String model) {
        return submit(() -> prices.remove(model) != null);
    }

    @Override
    public List<GroupRecord> groups() {
        return groups.values().stream().map(b -> Json.record(b, GroupRecord.class)).toList();
    }

    @Override
    public CompletionStage<GroupRecord> saveGroup(GroupRecord group) {
        return submit(() -> {
            groups.put(group.name(), Json.recordBytes(group));
            return group;
        });
    }

    @Override
    public CompletionStage<Boolean> deleteGroup(String name) {
        return submit(() -> groups.remove(name) != null);
    }

    @Override
    public CompletionStage<Void> writeUsage(UsageBatch batch) {
        return submit(() -> {
            batch.tokens().forEach((id, b) -> patch(tokens, id, TokenRecord.class,
                    t -> t.withBalance(b.remain(), b.used())));
            batch.users().forEach((id, b) -> patch(users, id, UserRecord.class,
                    u -> u.withBalance(b.quota(), b.used(), b.requests())));
            batch.channelUsed().forEach((id, used) -> patch(channels, id, ChannelRecord.class,
                    c -> c.withUsedQuota(used)));
            giveWay();
            logs.add(batch.logs());
            return null;
        });
    }

    /** An explicit id (root's, or a record copied from another store) is never handed out again. */
    private static void raise(Atomic.Long ids, long id) {
        if (id > ids.get()) {
            ids.set(id);
        }
    }

    /** Rewrites a stored record's balance; a record deleted meanwhile stays deleted. */
    private static <T> void patch(BTreeMap<Long, byte[]> map, long id, Class<T> type,
            java.util.function.UnaryOperator<T> change) {
        byte[] stored = map.get(id);
        if (stored != null) {
            map.put(id, Json.recordBytes(change.apply(Json.record(stored, type))));
        }
    }

    @Override
    public void scanLogs(long fromId, long toId, boolean newestFirst,
            java.util.function.Predicate<LogRecord> visitor) {
        logs.scan(fromId, toId, newestFirst, visitor);
    }

    @Override
    public long lastLogId() {
        return logs.lastId();
    }

    @Override
    public CompletionStage<Integer> deleteLogsBefore(long beforeId, int max) {
        return submit(() -> logs.deleteBefore(beforeId, max));
    }

    @Override
    public CompletionStage<Void> backup(Path target) {
        return submit(() -> {
            // On the writer thread, between two commits: the copy is of committed state and nothing changes
            // while it is made.
            DB copy = open(target);
            try {
                copyTree(copy, "channels", Serializer.LONG, channels);
                copyTree(copy, "tokens", Serializer.LONG, tokens);
                copyTree(copy, "users", Serializer.LONG, users);
                copyTree(copy, "prices", Serializer.STRING, prices);
                copyTree(copy, "groups", Serializer.STRING, groups);
                logs.copyTo(copy);
                copy.hashMap("meta", Serializer.STRING, Serializer.STRING).createOrOpen().putAll(meta);
                copy.atomicLong("channel_ids").createOrOpen().set(channelIds.get());
                copy.atomicLong("token_ids").createOrOpen().set(tokenIds.get());
                copy.atomicLong("user_ids").createOrOpen().set(userIds.get());
                copy.commit();
            } finally {
                copy.close();
            }
            return null;
        });
    }

    private static <K> void copyTree(DB into, String name, org.mapdb.serializer.GroupSerializer<K> keys,
            BTreeMap<K, byte[]> from) {
        BTreeMap<K, byte[]> to = into.treeMap(name, keys, Serializer.BYTE_ARRAY).createOrOpen();
        from.forEach(to::put);
    }

    private <T> CompletionStage<T> submit(Supplier<T> change) {
        Write<T> w = new Write<>(change);
        if (!open) {
            w.result.completeExceptionally(new StoreException("the store is closed", null));
            return w.result;
        }
        queue.add(w);
        // close() may have run between the check and the add, and the writer may be gone: then nobody would
        // ever complete this write. Whoever removes it from the queue owns it.
        if (!open && queue.remove(w)) {
            w.result.completeExceptionally(new StoreException("the store is closed", null));
        }
        return w.result;
    }

    /**
     * The writer gives its core way between the steps of a group (each change, a window's balances and its log
     * pages, the commit). A window's work is a few milliseconds of CPU at a few thousand requests a second, and on a
     * machine with few cores a request's next thread, woken onto the writer's core, waited until the writer's run
     * ended: up to 2.3 ms, measured with the kernel's scheduler trace at 1 connection, and the p99 there. After a
     * yield a runnable thread on that core goes first; with none, the writer goes on at once.
     */
    static void giveWay() {
        Thread.yield();
    }

    private void writeLoop() {
        List<Write<?>> group = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Write<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
    }

    private void commitGroup(List<Write<?>> group) {
        List<Object> results = new ArrayList<>(group.size());
        try {
            for (Write<?> w : group) {
                results.add(w.change.get());
                giveWay();
            }
            db.commit();
        } catch (RuntimeException e) {
            LOG.error("store commit failed, {} change(s) rolled back: {}", group.size(), e.toString());
            try {
                db.rollback();
            } catch (RuntimeException ignored) {
                // The original failure is what callers need to see.
            }
            StoreException failure = new StoreException("the change could not be saved: " + e.getMessage(), e);
            group.forEach(w -> w.result.completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).complete(results.get(i));
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }

    private static final class Write<T> {
        final Supplier<T> change;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Write(Supplier<T> change) {
            this.change = change;
        }

        @SuppressWarnings("unchecked")
        void complete(Object value) {
            result.complete((T) value);
        }
    }
}
