package dev.switchboard.core.relay;

/**
 * Told when a stream to a client starts and when its request ends (the open-streams gauge), of requests answered
 * before their token was known, which get no log entry (a missing or wrong token, an unknown URL), and of plugins'
 * calls that held a network thread too long. Called on the relay's threads, so an implementation is one atomic
 * update and nothing more. Each method counts nothing unless overridden.
 */
public interface RelayMeter {

    /** Counts nothing. */
    RelayMeter NONE = new RelayMeter() {
    };

    /** A stream's first bytes are about to go to its client. */
    default void opened() {
    }

    /** A request whose stream was {@link #opened()} ended, whichever way. */
    default void closed() {
    }

    /** @param status the error status a request was answered with before its token was known */
    default void refusedBeforeToken(int status) {
    }

    /**
     * A plugin's code held a network thread longer than {@link PluginClock#SLOW}.
     *
     * @param plugin the plugin: symbolic name and version
     * @param method the contract method
     */
    default void slowPluginCall(String plugin, String method) {
    }
}
