package dev.switchboard.core.adapter;

/**
 * A plugin's code failed where the contract allows no failure (anything but an
 * {@link dev.switchboard.api.provider.UpstreamErrorException}): a bug, or a half-gone bundle's
 * {@link LinkageError}. The message names the plugin (symbolic name and version), the contract method and the
 * failure's class, and is safe to show a client: no stack trace, and not the plugin's own message, which may
 * carry a vendor key. The cause is kept for the log.
 */
public final class PluginFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private PluginFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /**
     * @param plugin the plugin, as {@link InstalledAdapter#plugin()} names it
     * @param method the contract method that failed, e.g. {@code prepare}
     * @param failure what it threw
     * @return the failure to report
     * @throws VirtualMachineError rethrown (other than a stack overflow): no request can contain those
     */
    public static PluginFailure of(String plugin, String method, Throwable failure) {
        if (failure instanceof VirtualMachineError fatal && !(fatal instanceof StackOverflowError)) {
            throw fatal;
        }
        if (failure instanceof PluginFailure p) {
            return p;
        }
        return new PluginFailure("the plugin " + plugin + " failed in " + method + " ("
                + failure.getClass().getName() + ")", failure);
    }
}
