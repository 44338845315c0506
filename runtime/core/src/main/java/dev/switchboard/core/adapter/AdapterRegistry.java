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
 * type (two plugins, or an update in progress), the higher {@code service.ranking} wins, then the lower service
 * id (the older service), as OSGi orders services; the others are <em>shadowed</em>: kept, reported, and serving
 * the type as soon as the winner goes.
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
        register(adapter, (Long) ref.getProperty(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0,
                b.getBundleId(), b.getSymbolicName(), b.getVersion().toString());
    }

    /**
     * Registers a plugin's adapter service; one that cannot describe its channel type is logged and left out.
     *
     * @param adapter the service
     * @param serviceId its service id
     * @param ranking its service ranking
     * @param bundleId the providing bundle's id
     * @param bundleName the providing bundle's symbolic name
     * @param bundleVersion the providing bundle's version
     */
    public void register(ProviderAdapter adapter, long serviceId, int ranking, long bundleId, String bundleName,
            String bundleVersion) {
        InstalledAdapter installed;
        try {
            installed = new InstalledAdapter(adapter, serviceId, ranking, bundleId, bundleName, bundleVersion);
        } catch (PluginFailure e) {
            LOG.error("{}; its adapter is not installed", e.getMessage(), e.getCause());
            return;
        }
        add(installed);
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
        String type = installed.typeId();
        byService.put(installed.serviceId(), installed);
        InstalledAdapter winner = find(type).orElse(installed);
        if (winner == installed) {
            LOG.info("channel type '{}' available from {}", type, installed.plugin());
        } else {
            LOG.warn("channel type '{}' from {} is shadowed by {} (higher service.ranking, or registered first)",
                    type, installed.plugin(), winner.plugin());
        }
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
            LOG.info("channel type '{}' from {} withdrawn{}", gone.typeId(), gone.plugin(), find(gone.typeId())
                    .map(next -> "; " + next.plugin() + " serves it now").orElse(""));
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
     * @return the type ids its services serve (not those shadowed by another plugin), sorted
     */
    public List<String> typesOf(long bundleId) {
        return byService.values().stream().filter(a -> a.bundleId() == bundleId && !shadowed(a))
                .map(InstalledAdapter::typeId).distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * @param bundleId a bundle id
     * @return its registrations that another plugin's service outranks, each with the one serving the type,
     *     ordered by type id
     */
    public List<Shadowed> shadowedOf(long bundleId) {
        return byService.values().stream().filter(a -> a.bundleId() == bundleId)
                .flatMap(a -> find(a.typeId()).filter(w -> w != a).map(w -> new Shadowed(a, w)).stream())
                .sorted(Comparator.comparing(s -> s.adapter().typeId())).toList();
    }

    /**
     * @param typeId a channel type id
     * @return the registrations of the type that are not serving it, best first
     */
    public List<InstalledAdapter> shadowedFor(String typeId) {
        InstalledAdapter winner = find(typeId).orElse(null);
        return byService.values().stream().filter(a -> a != winner && a.typeId().equals(typeId))
                .sorted(InstalledAdapter.BEST_FIRST).toList();
    }

    private boolean shadowed(InstalledAdapter a) {
        return find(a.typeId()).orElse(a) != a;
    }

    /**
     * A registration that does not serve its type because another outranks it.
     *
     * @param adapter the shadowed registration
     * @param by the one serving the type
     */
    public record Shadowed(InstalledAdapter adapter, InstalledAdapter by) {
    }

    /** @param listener called after any adapter comes or goes */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
