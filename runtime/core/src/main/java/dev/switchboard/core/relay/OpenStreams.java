package dev.switchboard.core.relay;

/**
 * Told when a stream to a client starts and when its request ends, for the open-streams gauge. Called on the relay's
 * threads, so an implementation is one atomic update and nothing more.
 */
public interface OpenStreams {

    /** Counts nothing. */
    OpenStreams NONE = new OpenStreams() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /** A stream's first bytes are about to go to its client. */
    void opened();

    /** A request whose stream was {@link #opened()} ended, whichever way. */
    void closed();
}
