package dev.switchboard.core.store;

import dev.switchboard.core.json.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * The embedded store's request log: entries in pages of up to {@value #PAGE}, each page one record keyed by its
 * first entry's id, pages in id order and never overlapping. One B-tree write per page instead of per entry: the
 * log is written for every request, and a B-tree insert per entry (node reads, a node rewrite, a record) made it
 * the gateway's largest cost per request under load. A write-behind batch fills up the last page, then opens new
 * ones. Only the store's writer thread changes pages; entries stay JSON, as encoded when they settled
 * ({@link EncodedLog}).
 *
 * <p>A page: an {@code int} count, then per entry its {@code long} id, an {@code int} length and its bytes, in
 * id order. It is stored compressed with LZ4 ({@code int} {@value #LZ4}, the page's length, the LZ4 block): a page
 * of entries repeats the same field names and values, and shrinks about tenfold (126 KiB to 12 KiB for 256
 * typical entries), so the store grows a tenth as fast and each commit writes a tenth (MapDB's write-ahead log
 * costs some 9 ns of the writer's CPU per byte; compressing, about 1). Pages stored before this are plain (a
 * count is never negative) and are read as they are.
 */
final class LogPages {

    static final int PAGE = 256;
    static final String NAME = "request_log_pages";
    /** The first {@code int} of a compressed page; a plain page starts with its count. */
    static final int LZ4 = -1;
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();
    /** Bounds-checked: a damaged page must fail as an exception, never read outside its array. */
    private static final LZ4FastDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().fastDecompressor();

    private record Entry(long id, byte[] bytes) {
    }

    private final BTreeMap<Long, byte[]> pages;

    /** @param db the store's database; the pages' tree is created when missing */
    LogPages(DB db) {
        this.pages = db.treeMap(NAME, Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable()
                .createOrOpen();
    }

    /** @param entries entries to add, in any order; one with the id of a stored entry replaces it */
    void add(List<EncodedLog> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Entry> added = new ArrayList<>(entries.size());
        for (EncodedLog e : entries) {
            added.add(new Entry(e.id(), e.json()));
        }
        added.sort(Comparator.comparingLong(Entry::id));
        if (added.get(0).id() <= lastId()) {
            merge(added);
            return;
        }
        int from = 0;
        Map.Entry<Long, byte[]> last = pages.lastEntry();
        if (last != null) {
            byte[] page = plain(last.getValue());
            int room = PAGE - ByteBuffer.wrap(page).getInt(0);
            if (room > 0) {
                from = Math.min(room, added.size());
                pages.put(last.getKey(), packed(append(page, added.subList(0, from))));
            }
        }
        writePages(added.subList(from, added.size()));
    }

    /** Entries older than the newest stored one (a copy, a replay): the pages they fall in are rewritten. */
    private void merge(List<Entry> added) {
        long first = added.get(0).id();
        long last = added.get(added.size() - 1).id();
        Long start = pages.floorKey(first);
        TreeMap<Long, byte[]> merged = new TreeMap<>();
        for (Map.Entry<Long, byte[]> page : new ArrayList<>(pages.subMap(start == null ? first : start, true, last,
                true).entrySet())) {
            decode(plain(page.getValue())).forEach(e -> merged.put(e.id(), e.bytes()));
            pages.remove(page.getKey());
        }
        added.forEach(e -> merged.put(e.id(), e.bytes()));
        List<Entry> all = new ArrayList<>(merged.size());
        merged.forEach((id, bytes) -> all.add(new Entry(id, bytes)));
        writePages(all);
    }

    private void writePages(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i += PAGE) {
            List<Entry> page = entries.subList(i, Math.min(entries.size(), i + PAGE));
            pages.put(page.get(0).id(), packed(append(new byte[] {0, 0, 0, 0}, page)));
            MapDbStore.giveWay();
        }
    }

    /** Visits entries with ids in {@code [fromId, toId)}, oldest or newest first, until the visitor says stop. */
    void scan(long fromId, long toId, boolean newestFirst, Predicate<LogRecord> visitor) {
        if (fromId >= toId) {
            return;
        }
        Long start = pages.floorKey(fromId);
        NavigableMap<Long, byte[]> range = pages.subMap(start == null ? fromId : start, true, toId, false);
        for (byte[] page : (newestFirst ? range.descendingMap() : range).values()) {
            List<Entry> entries = decode(plain(page));
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(newestFirst ? entries.size() - 1 - i : i);
                if (e.id() >= fromId && e.id() < toId && !visitor.test(Json.record(e.bytes(), LogRecord.class))) {
                    return;
                }
            }
        }
    }

    /** @return the largest id stored, 0 when none */
    long lastId() {
        Map.Entry<Long, byte[]> last = pages.lastEntry();
        if (last == null) {
            return 0;
        }
        ByteBuffer in = ByteBuffer.wrap(plain(last.getValue()));
        long id = 0;
        for (int i = in.getInt(); i > 0; i--) {
            id = in.getLong();
            int length = in.getInt();
            in.position(in.position() + length);
        }
        return id;
    }

    /**
     * Removes up to {@code max} of the oldest entries with ids below {@code beforeId}.
     *
     * @return how many were removed
     */
    int deleteBefore(long beforeId, int max) {
        int removed = 0;
        while (removed < max) {
            Map.Entry<Long, byte[]> first = pages.firstEntry();
            if (first == null || first.getKey() >= beforeId) {
                break;
            }
            List<Entry> entries = decode(plain(first.getValue()));
            int drop = 0;
            while (drop < entries.size() && entries.get(drop).id() < beforeId && removed + drop < max) {
                drop++;
            }
            pages.remove(first.getKey());
            List<Entry> rest = entries.subList(drop, entries.size());
            if (!rest.isEmpty()) {
                pages.put(rest.get(0).id(), packed(append(new byte[] {0, 0, 0, 0}, rest)));
            }
            removed += drop;
            if (!rest.isEmpty()) {
                break;
            }
        }
        return removed;
    }

    /** Copies every page into another database (a backup). */
    void copyTo(DB other) {
        BTreeMap<Long, byte[]> into = new LogPages(other).pages;
        pages.forEach(into::put);
    }

    private static byte[] append(byte[] page, List<Entry> entries) {
        int size = page.length;
        for (Entry e : entries) {
            size += 12 + e.bytes().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(page);
        for (Entry e : entries) {
            out.putLong(e.id()).putInt(e.bytes().length).put(e.bytes());
        }
        return out.putInt(0, ByteBuffer.wrap(page).getInt(0) + entries.size()).array();
    }

    /** @return the page as stored: compressed, unless that would not make it smaller */
    static byte[] packed(byte[] page) {
        byte[] out = new byte[8 + COMPRESSOR.maxCompressedLength(page.length)];
        int length = COMPRESSOR.compress(page, 0, page.length, out, 8, out.length - 8);
        if (8 + length >= page.length) {
            return page;
        }
        ByteBuffer.wrap(out).putInt(LZ4).putInt(page.length);
        return java.util.Arrays.copyOf(out, 8 + length);
    }

    /** @return a stored page as its count and entries, compressed or not */
    static byte[] plain(byte[] stored) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        if (in.getInt(0) != LZ4) {
            return stored;
        }
        byte[] page = new byte[in.getInt(4)];
        DECOMPRESSOR.decompress(stored, 8, page, 0, page.length);
        return page;
    }

    private static List<Entry> decode(byte[] page) {
        ByteBuffer in = ByteBuffer.wrap(page);
        int count = in.getInt();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = in.getLong();
            byte[] bytes = new byte[in.getInt()];
            in.get(bytes);
            entries.add(new Entry(id, bytes));
        }
        return entries;
    }
}
