package dev.switchboard.core.adapter;

import dev.switchboard.api.provider.ProviderAdapter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installed channel types: a whiteboard of {@link ProviderAdapter} services. When two services claim one
 * type (an update in progress, or two plugins), the higher ranking wins, then the newer service.
 */
@Component(service = AdapterRegistry.class)
public final class AdapterRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRegistry.class);

    // Keyed by service id, never by type: a replacement binds before the old service unbinds.
    private final Map<Long, InstalledAdapter> byService = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAdapter(ProviderAdapter adapter, ServiceReference<ProviderAdapter> ref) {
        Bundle b = ref.getBundle();
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        add(new InstalledAdapter(adapter, (Long) ref.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0, b.getBundleId(), b.getSymbolicName(),
                b.getVersion().toString()));
    }

    void unbindAdapter(ProviderAdapter adapter, ServiceReference<ProviderAdapter> ref) {
        remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /**
     * Adds a registration (the DS bind, and tests).
     *
     * @param installed the adapter and its origin
     */
    public void add(InstalledAdapter installed) {
        String type;
        try {
            type = installed.typeId();
        } catch (RuntimeException e) {
            LOG.error("plugin {} registered an adapter whose channelType() failed: {}", installed.bundleName(),
                    e.toString());
            return;
        }
        byService.put(installed.serviceId(), installed);
        LOG.info("channel type '{}' available from {} {}", type, installed.bundleName(), installed.bundleVersion());
        listeners.forEach(Runnable::run);
    }

    /**
     * Removes a registration (the DS unbind, and tests).
     *
     * @param serviceId the service id
     */
    public void remove(long serviceId) {
        InstalledAdapter gone = byService.remove(serviceId);
        if (gone != null) {
            LOG.info("channel type '{}' from {} {} withdrawn", gone.typeId(), gone.bundleName(),
                    gone.bundleVersion());
            listeners.forEach(Runnable::run);
        }
    }

    /**
     * @param typeId a channel type id
     * @return the adapter serving it now, if installed
     */
    public Optional<InstalledAdapter> find(String typeId) {
        InstalledAdapter best = null;
        for (InstalledAdapter a : byService.values()) {
            if (a.typeId().equals(typeId) && (best == null || a.outranks(best))) {
                best = a;
            }
        }
        return Optional.ofNullable(best);
    }

    /** @return the adapter serving each installed type, ordered by type id */
    public List<InstalledAdapter> installed() {
        Map<String, InstalledAdapter> best = new java.util.TreeMap<>();
        for (InstalledAdapter a : byService.values()) {
            best.merge(a.typeId(), a, (x, y) -> y.outranks(x) ? y : x);
        }
        return new ArrayList<>(best.values());
    }

    /**
     * @param bundleId a bundle id
     * @return the type ids its services provide, sorted
     */
    public List<String> typesOf(long bundleId) {
        return byService.values().stream().filter(a -> a.bundleId() == bundleId).map(InstalledAdapter::typeId)
                .distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /** @param listener called after any adapter comes or goes */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
