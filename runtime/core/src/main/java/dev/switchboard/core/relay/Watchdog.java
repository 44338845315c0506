package dev.switchboard.core.relay;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.io.CyclicTimeouts;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The timers of the upstream calls in flight (first byte, silence between events, stream keep-alives) on one
 * shared wake-up, Jetty's {@link CyclicTimeouts}: a call joins when it starts and leaves when it ends, and the
 * scheduler thread wakes when the earliest look is due. A timer task per call woke that thread twice per
 * request (schedule and cancel), which on a busy gateway cost more than the request's own routing.
 */
final class Watchdog extends CyclicTimeouts<Watchdog.Watched> {

    /** A call with timers. */
    interface Watched extends CyclicTimeouts.Expirable {

        /**
         * Looks at the call's timers and sets when it wants the next look ({@link #getExpireNanoTime()}).
         *
         * @return whether the call still needs watching
         */
        boolean look();
    }

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

    /** @param scheduler the thread that wakes for the looks (not stopped by the watchdog) */
    Watchdog(ScheduledExecutorService scheduler) {
        super(started(new ScheduledExecutorScheduler(scheduler)));
    }

    private static ScheduledExecutorScheduler started(ScheduledExecutorScheduler s) {
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the relay's watchdog: " + e.getMessage(), e);
        }
        return s;
    }

    /** @param call a call that started; its first look is at its {@link Watched#getExpireNanoTime()} */
    void watch(Watched call) {
        watched.add(call);
        schedule(call);
    }

    /** @param call a call that ended */
    void release(Watched call) {
        watched.remove(call);
    }

    /** @return how many calls are watched */
    int size() {
        return watched.size();
    }

    @Override
    protected Iterator<Watched> iterator() {
        return watched.iterator();
    }

    @Override
    protected boolean onExpired(Watched call) {
        if (!call.look()) {
            return true;
        }
        // The sweep does not count a call it just looked at when it picks its next wake-up: ask for it again.
        schedule(call);
        return false;
    }
}
