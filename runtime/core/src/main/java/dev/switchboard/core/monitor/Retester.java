package dev.switchboard.core.monitor;

import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.store.ChannelRecord;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic re-test of auto-disabled channels: each one the gateway took out of routing (a refused key, an
 * empty balance) gets a small real request; those that pass are enabled again and their breakers closed.
 * Channels an operator disabled are never touched. Runs on its own thread: a test blocks until it is answered.
 */
public final class Retester implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Retester.class);

    private final Channels channels;
    private final Predicate<ChannelRecord> test;
    private final Breakers breakers;

    /**
     * @param channels the channel registry
     * @param test runs one channel test and says whether it passed (and records its latency)
     * @param breakers the breakers to close for a channel that passes
     */
    public Retester(Channels channels, Predicate<ChannelRecord> test, Breakers breakers) {
        this.channels = channels;
        this.test = test;
        this.breakers = breakers;
    }

    @Override
    public void run() {
        for (ChannelRecord c : channels.list()) {
            if (!ChannelRecord.AUTO_DISABLED.equals(c.status())) {
                continue;
            }
            boolean passed;
            try {
                passed = test.test(c);
            } catch (RuntimeException e) {
                LOG.debug("re-test of channel {} could not run: {}", c.id(), e.toString());
                passed = false;
            }
            if (passed && channels.reEnable(c.id())) {
                breakers.reset(c.id());
                LOG.info("channel {} ({}) re-enabled: a re-test passed (it was disabled because: {})", c.id(),
                        c.name(), c.statusReason());
            }
        }
    }
}
