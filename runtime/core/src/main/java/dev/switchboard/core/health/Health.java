package dev.switchboard.core.health;

import java.util.function.BooleanSupplier;

/** The gateway's readiness. Thread-safe; cheap to read once ready. */
public final class Health {

    /** The phases of a run. */
    public enum Phase {
        /** Bundles and plugins still coming up. */
        STARTING,
        /** Serving. */
        READY,
        /** Draining before exit. */
        STOPPING
    }

    private final BooleanSupplier pluginsProcessed;
    private volatile boolean serving;
    private volatile boolean stopping;
    private volatile boolean pluginsDone;

    /** @param pluginsProcessed whether every plugin present at start-up has been processed */
    public Health(BooleanSupplier pluginsProcessed) {
        this.pluginsProcessed = pluginsProcessed;
    }

    /** Marks the server as listening. */
    public void serving() {
        serving = true;
    }

    /** Marks the start of the drain. */
    public void stopping() {
        stopping = true;
    }

    /** @return the current phase */
    public Phase phase() {
        if (stopping) {
            return Phase.STOPPING;
        }
        if (!serving) {
            return Phase.STARTING;
        }
        if (!pluginsDone) {
            pluginsDone = pluginsProcessed.getAsBoolean();
        }
        return pluginsDone ? Phase.READY : Phase.STARTING;
    }
}
