package dev.switchboard.core.cluster;

import dev.switchboard.core.store.PostgresStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the changes other nodes commit ({@link PostgresStore#CHANGES}) on a connection of its own and hands
 * them, grouped by table, to the replica, within a poll interval of their commit. Every {@code resync} it re-reads
 * everything anyway, and so it does after it (re)connects: a notification sent while it was not listening is lost,
 * the state it announced is not.
 */
public final class ChangeFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /** How long one wait for notifications lasts: the latency of a change, at most. */
    private static final int POLL_MILLIS = 200;

    private final PostgresStore store;
    private final Replica replica;
    private final Duration resync;
    private final Thread thread;
    private volatile boolean open = true;

    /**
     * @param store the shared store (its own connection is opened for listening)
     * @param replica what brings the registries in step
     * @param resync how often everything is re-read regardless
     */
    public ChangeFeed(PostgresStore store, Replica replica, Duration resync) {
        this.store = store;
        this.replica = replica;
        this.resync = resync;
        thread = new Thread(this::run, "switchboard-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Connection connection = null;
        long nextResync = 0;
        boolean warned = false;
        while (open) {
            try {
                if (connection == null) {
                    connection = listen();
                    // Whatever changed while nobody listened is read now.
                    nextResync = 0;
                    if (warned) {
                        LOG.info("listening for other nodes' changes again");
                        warned = false;
                    }
                }
                if (System.nanoTime() - nextResync >= 0) {
                    replica.resync();
                    nextResync = System.nanoTime() + resync.toNanos();
                }
                PGNotification[] heard = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (heard != null && heard.length > 0) {
                    Map<String, Set<String>> others = group(heard, store.node());
                    if (!others.isEmpty()) {
                        replica.changed(others);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!open) {
                    break;
                }
                if (!warned) {
                    LOG.warn("cannot hear other nodes' changes ({}); serving from memory, retrying", e.getMessage());
                    warned = true;
                }
                closeQuietly(connection);
                connection = null;
                pause();
            }
        }
        closeQuietly(connection);
    }

    private Connection listen() throws SQLException {
        Connection c = store.listenerConnection();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + PostgresStore.CHANGES);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** {@code table:key@node} payloads to the keys other nodes changed, per table (this node's own are known). */
    static Map<String, Set<String>> group(PGNotification[] heard, String self) {
        Map<String, Set<String>> byTable = new HashMap<>();
        for (PGNotification n : heard) {
            String payload = n.getParameter();
            int at = payload.lastIndexOf('@');
            if (at >= 0 && payload.substring(at + 1).equals(self)) {
                continue;
            }
            payload = at < 0 ? payload : payload.substring(0, at);
            int colon = payload.indexOf(':');
            String table = colon < 0 ? payload : payload.substring(0, colon);
            byTable.computeIfAbsent(table, t -> new HashSet<>()).add(colon < 0 ? "" : payload.substring(colon + 1));
        }
        return byTable;
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Gone already: nothing to release.
            }
        }
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
