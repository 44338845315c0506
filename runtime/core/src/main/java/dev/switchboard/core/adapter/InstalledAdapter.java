package dev.switchboard.core.adapter;

import dev.switchboard.api.provider.ProviderAdapter;
import java.util.Comparator;

/**
 * An adapter service and the plugin it came from. The adapter is kept {@linkplain ContainedAdapter contained}:
 * what the plugin throws comes out as a {@link PluginFailure} naming it.
 *
 * @param adapter the service, contained
 * @param serviceId its service id (newer registrations have larger ids)
 * @param ranking its service ranking
 * @param bundleId the providing bundle's id
 * @param bundleName the providing bundle's symbolic name
 * @param bundleVersion the providing bundle's version
 */
public record InstalledAdapter(ProviderAdapter adapter, long serviceId, int ranking, long bundleId,
        String bundleName, String bundleVersion) {

    /**
     * @throws PluginFailure when the plugin cannot describe its channel type
     */
    public InstalledAdapter {
        if (!(adapter instanceof ContainedAdapter)) {
            adapter = new ContainedAdapter(adapter, bundleName + " " + bundleVersion);
        }
    }

    /** @return the channel type id the adapter serves (read once, at registration) */
    public String typeId() {
        return adapter.channelType().id();
    }

    /** @return the plugin as messages name it: symbolic name and version */
    public String plugin() {
        return bundleName + " " + bundleVersion;
    }

    /** @return the plugin's own service object, not the containment around it */
    public ProviderAdapter service() {
        return ((ContainedAdapter) adapter).plugin();
    }

    /**
     * The order among services claiming one type, best first: the higher ranking, then the older service (the
     * lower id), as OSGi orders services.
     */
    static final Comparator<InstalledAdapter> BEST_FIRST = Comparator.comparingInt(InstalledAdapter::ranking)
            .reversed().thenComparingLong(InstalledAdapter::serviceId);

    boolean outranks(InstalledAdapter other) {
        // Spelled out: find() runs this for every request.
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }
}
