package dev.switchboard.core.store;

import java.util.List;

/**
 * Rate-limit counts shared by the nodes of one database: each node writes its own counts per token and window and
 * reads what the others counted.
 */
public interface RateWindows {

    /**
     * One node's (or the other nodes' summed) counts of a token in one window.
     *
     * @param tokenId the token
     * @param window the window's number (wall-clock minutes since the epoch)
     * @param requests requests admitted
     * @param tokens tokens used
     */
    record Count(long tokenId, long window, long requests, long tokens) {
    }

    /**
     * Writes this node's counts (absolute, so writing one again changes nothing), drops windows before
     * {@code fromWindow}, and reads the other nodes' counts from it on, summed per token and window.
     *
     * @param mine this node's counts
     * @param fromWindow the oldest window still counted
     * @return the other nodes' counts
     */
    List<Count> exchange(List<Count> mine, long fromWindow);
}
