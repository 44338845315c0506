package dev.switchboard.core.store;

import static dev.switchboard.core.store.Records.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels and tokens are saved with assigned ids, replaced, deleted, and kept whole. */
class MapDbStoreRecordsTest {

    @TempDir
    Path dir;

    MapDbStore store;

    @BeforeEach
    void open() {
        store = new MapDbStore(dir.resolve("switchboard.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void newChannelsGetDistinctPositiveIds() {
        ChannelRecord a = await(store.saveChannel(Records.channel("a")));
        ChannelRecord b = await(store.saveChannel(Records.channel("b")));
        assertTrue(a.id() > 0);
        assertTrue(b.id() > 0);
        assertNotEquals(a.id(), b.id());
        assertEquals(Records.channel("a").withId(a.id()), a);
        assertEquals(2, store.channels().size());
    }

    @Test
    void aChannelIsReadBackWithEveryField() {
        ChannelRecord saved = await(store.saveChannel(Records.channel("full")));
        assertEquals(List.of(saved), store.channels());
    }

    @Test
    void savingWithAnIdReplacesThatChannel() {
        ChannelRecord saved = await(store.saveChannel(Records.channel("before")));
        ChannelRecord renamed = await(store.saveChannel(saved.withStatus(ChannelRecord.ENABLED, null)));
        assertEquals(saved.id(), renamed.id());
        assertEquals(List.of(renamed), store.channels());
        assertEquals(ChannelRecord.ENABLED, store.channels().get(0).status());
    }

    @Test
    void deletingAChannelSaysWhetherItExisted() {
        ChannelRecord a = await(store.saveChannel(Records.channel("a")));
        ChannelRecord b = await(store.saveChannel(Records.channel("b")));
        assertTrue(await(store.deleteChannel(a.id())));
        assertFalse(await(store.deleteChannel(a.id())));
        assertEquals(List.of(b), store.channels());
    }

    @Test
    void idsAreNotReusedAfterADelete() {
        ChannelRecord a = await(store.saveChannel(Records.channel("a")));
        await(store.deleteChannel(a.id()));
        ChannelRecord b = await(store.saveChannel(Records.channel("b")));
        assertNotEquals(a.id(), b.id());
    }

    @Test
    void tokensAreSavedReplacedAndDeleted() {
        TokenRecord t = await(store.saveToken(Records.token("t1")));
        TokenRecord u = await(store.saveToken(Records.token("t2")));
        assertTrue(t.id() > 0);
        assertNotEquals(t.id(), u.id());
        assertEquals(Records.token("t1").withId(t.id()), t);
        assertEquals(List.of(t, u), store.tokens());

        TokenRecord renamed = new TokenRecord(t.id(), "renamed", t.keyHash(), t.keyMasked(), "disabled",
                null, true, 0, 0, List.of(), List.of(), null, null, null, null, 1, t.createdAt());
        await(store.saveToken(renamed));
        assertEquals(List.of(renamed, u), store.tokens());

        assertTrue(await(store.deleteToken(t.id())));
        assertFalse(await(store.deleteToken(t.id())));
        assertEquals(List.of(u), store.tokens());
    }

    @Test
    void metaValuesAreKept() {
        await(store.putMeta("admin_token_sha256", "abc"));
        assertEquals("abc", store.meta("admin_token_sha256").orElseThrow());
        assertTrue(store.meta("nothing").isEmpty());
    }
}
