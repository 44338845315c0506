package dev.switchboard.core.adapter;

import dev.switchboard.api.provider.ProviderAdapter;

/**
 * An adapter service and the plugin it came from.
 *
 * @param adapter the service
 * @param serviceId its service id (newer registrations have larger ids)
 * @param ranking its service ranking
 * @param bundleId the providing bundle's id
 * @param bundleName the providing bundle's symbolic name
 * @param bundleVersion the providing bundle's version
 */
public record InstalledAdapter(ProviderAdapter adapter, long serviceId, int ranking, long bundleId,
        String bundleName, String bundleVersion) {

    /** @return the channel type id the adapter serves */
    public String typeId() {
        return adapter.channelType().id();
    }

    boolean outranks(InstalledAdapter other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId > other.serviceId;
    }
}
