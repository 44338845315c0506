package dev.switchboard.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mapdb.DB;
import org.mapdb.DBMaker;

/** The request log's pages: across page boundaries, out-of-order writes, scans both ways and retention. */
class LogPagesTest {

    private final DB db = DBMaker.memoryDB().make();
    private final LogPages pages = new LogPages(db);

    @AfterEach
    void close() {
        db.close();
    }

    private static List<EncodedLog> entries(long from, long to) {
        return LongStream.range(from, to).mapToObj(id -> EncodedLog.of(StoreContract.log(id, id))).toList();
    }

    private List<Long> ids(long from, long to, boolean newestFirst) {
        List<Long> ids = new ArrayList<>();
        pages.scan(from, to, newestFirst, e -> ids.add(e.id()));
        return ids;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void batchesFillPagesAndScansCrossThemInEitherOrder() {
        pages.add(entries(1, 101));
        pages.add(entries(101, 700));
        pages.add(entries(700, 701));
        assertEquals(700, pages.lastId());
        assertEquals(range(1, 701), ids(0, Long.MAX_VALUE, false));
        List<Long> newest = new ArrayList<>(range(250, 520));
        java.util.Collections.reverse(newest);
        assertEquals(newest, ids(250, 520, true), "a range across page boundaries, newest first");
        List<Long> firstTen = new ArrayList<>();
        pages.scan(0, Long.MAX_VALUE, true, e -> {
            firstTen.add(e.id());
            return firstTen.size() < 10;
        });
        assertEquals(List.of(700L, 699L, 698L, 697L, 696L, 695L, 694L, 693L, 692L, 691L), firstTen,
                "the visitor stops the scan");
        assertEquals(List.of(), ids(5, 5, false));
    }

    @Test
    void anOlderBatchIsMergedInPlaceAndReplacesEqualIds() {
        pages.add(entries(1, 300));
        List<EncodedLog> late = new ArrayList<>(entries(150, 160));
        late.add(EncodedLog.of(StoreContract.log(1000, 99)));
        pages.add(late);
        List<Long> expected = new ArrayList<>(range(1, 300));
        expected.add(1000L);
        assertEquals(expected, ids(0, Long.MAX_VALUE, false), "each id once, in order");
        List<LogRecord> read = new ArrayList<>();
        pages.scan(1000, 1001, false, read::add);
        assertEquals(List.of(StoreContract.log(1000, 99)), read, "read back whole");
        assertEquals(1000, pages.lastId());
    }

    @Test
    void retentionDeletesTheOldestUpToItsLimit() {
        pages.add(entries(1, 600));
        assertEquals(300, pages.deleteBefore(400, 300), "stopped by the limit, inside a page");
        assertEquals(range(301, 600), ids(0, Long.MAX_VALUE, false));
        assertEquals(99, pages.deleteBefore(400, 1000), "stopped by the id");
        assertEquals(range(400, 600), ids(0, Long.MAX_VALUE, false));
        assertEquals(0, pages.deleteBefore(400, 1000));
        assertEquals(200, pages.deleteBefore(Long.MAX_VALUE, 1000));
        assertEquals(0, pages.lastId(), "empty");
        pages.add(entries(5, 6));
        assertEquals(List.of(5L), ids(0, 10, false));
    }

    @Test
    void pagesAreStoredCompressedAtAFractionOfTheirSize() {
        pages.add(entries(1, 257));
        byte[] stored = db.treeMap(LogPages.NAME, org.mapdb.Serializer.LONG, org.mapdb.Serializer.BYTE_ARRAY)
                .open().get(1L);
        byte[] plain = LogPages.plain(stored);
        assertEquals(LogPages.LZ4, java.nio.ByteBuffer.wrap(stored).getInt(0));
        assertEquals(256, java.nio.ByteBuffer.wrap(plain).getInt(0), "a full page");
        org.junit.jupiter.api.Assertions.assertTrue(stored.length * 4 < plain.length,
                "a page of log entries shrinks well: " + stored.length + " of " + plain.length + " bytes");
        assertEquals(range(1, 257), ids(0, Long.MAX_VALUE, false));
    }

    @Test
    void plainPagesWrittenBeforeCompressionAreReadAppendedToAndRetired() {
        org.mapdb.BTreeMap<Long, byte[]> raw = db.treeMap(LogPages.NAME, org.mapdb.Serializer.LONG,
                org.mapdb.Serializer.BYTE_ARRAY).open();
        pages.add(entries(1, 101));
        // Put the page back as an older version stored it: uncompressed.
        raw.put(1L, LogPages.plain(raw.get(1L)));
        assertEquals(range(1, 101), ids(0, Long.MAX_VALUE, false), "read as it is");
        assertEquals(100, pages.lastId());

        pages.add(entries(101, 151));
        assertEquals(LogPages.LZ4, java.nio.ByteBuffer.wrap(raw.get(1L)).getInt(0), "rewritten compressed");
        assertEquals(range(1, 151), ids(0, Long.MAX_VALUE, false));

        raw.put(1L, LogPages.plain(raw.get(1L)));
        assertEquals(40, pages.deleteBefore(41, 1000), "retention cuts into a plain page too");
        assertEquals(range(41, 151), ids(0, Long.MAX_VALUE, false));
    }
}
