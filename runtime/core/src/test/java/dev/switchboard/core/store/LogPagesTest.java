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

    private static List<LogRecord> entries(long from, long to) {
        return LongStream.range(from, to).mapToObj(id -> StoreContract.log(id, id)).toList();
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
        List<LogRecord> late = new ArrayList<>(entries(150, 160));
        late.add(StoreContract.log(1000, 99));
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
}
