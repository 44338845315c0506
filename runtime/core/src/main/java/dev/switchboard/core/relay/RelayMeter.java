package dev.switchboard.core.relay;

/**
 * Told when a stream to a client starts and when its request ends (the open-streams gauge), and of requests
 * answered before their token was known, which get no log entry (a missing or wrong token, an unknown URL). Called
 * on the relay's threads, so an implementation is one atomic update and nothing more.
 */
public interface RelayMeter {

    /** Counts nothing. */
    RelayMeter NONE = new RelayMeter() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }

        @Override
        public void refusedBeforeToken(int status) {
        }
    };

    /** A stream's first bytes are about to go to its client. */
    void opened();

    /** A request whose stream was {@link #opened()} ended, whichever way. */
    void closed();

    /** @param status the error status a request was answered with before its token was known */
    void refusedBeforeToken(int status);
}
