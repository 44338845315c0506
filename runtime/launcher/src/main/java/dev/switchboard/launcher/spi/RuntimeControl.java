package dev.switchboard.launcher.spi;

import java.util.List;

/** The launcher, as the core sees it (a service registered by the system bundle). */
public interface RuntimeControl {

    /**
     * Reports that the gateway cannot run (the port is taken, the store cannot open). The launcher prints the
     * message, stops the framework and exits with status 1.
     *
     * @param message what failed and what to do, without a stack trace
     */
    void fatal(String message);

    /** @return the file names of the plugin jars present in the plugins folder when the runtime started */
    List<String> startupPlugins();
}
