package dev.switchboard.core.web;

import dev.switchboard.api.web.WebAssets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * The registered web sites: a whiteboard of {@link WebAssets} services. When two services name one site (an
 * update in progress, or two bundles), the higher ranking wins, then the newer service.
 */
@Component(service = Sites.class)
public final class Sites {

    private static final Logger LOG = LoggerFactory.getLogger(Sites.class);

    /** A registration. @param assets the service @param serviceId its id @param ranking its ranking */
    public record Registered(WebAssets assets, long serviceId, int ranking) {
    }

    private static final Comparator<Registered> PREFERRED = Comparator.comparingInt(Registered::ranking)
            .thenComparingLong(Registered::serviceId);

    // Keyed by service id: a replacement binds before the old service unbinds.
    private final Map<Long, Registered> byService = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSite(WebAssets assets, ServiceReference<WebAssets> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        add(new Registered(assets, (Long) ref.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0));
        LOG.info("web site '{}' available from {} {}", safeSite(assets), ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion());
    }

    void unbindSite(WebAssets assets, ServiceReference<WebAssets> ref) {
        if (byService.remove((Long) ref.getProperty(Constants.SERVICE_ID)) != null) {
            LOG.info("web site '{}' withdrawn", safeSite(assets));
        }
    }

    /** @param registered a registration to add (the DS bind, and tests) */
    public void add(Registered registered) {
        byService.put(registered.serviceId(), registered);
    }

    /** @param serviceId the registration to remove (the DS unbind, and tests) */
    public void remove(long serviceId) {
        byService.remove(serviceId);
    }

    /**
     * @param site e.g. {@link WebAssets#CONSOLE}
     * @return the preferred registration naming that site, if any
     */
    public Optional<WebAssets> site(String site) {
        return byService.values().stream().filter(r -> site.equals(safeSite(r.assets()))).max(PREFERRED)
                .map(Registered::assets);
    }

    private static String safeSite(WebAssets assets) {
        try {
            return assets.site();
        } catch (RuntimeException e) {
            // A broken plugin must not break the lookup of every other site.
            return "";
        }
    }
}
