package dev.switchboard.core.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * Says why a plugin bundle cannot resolve, in the operator's terms: each mandatory requirement no installed
 * bundle satisfies, for a package with the version range it needs and the versions this runtime has (a
 * plugin built against api 2.x on a 1.x gateway, say).
 */
final class UnresolvedReason {

    private static final Pattern UPPER = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");
    private static final Pattern LOWER = Pattern.compile("\\(version>=([^)]+)\\)");

    private UnresolvedReason() {
    }

    /**
     * @param bundle an installed bundle that does not resolve
     * @param context a bundle context, to see what the other bundles offer
     * @return the reason, ending with what to do
     */
    static String of(Bundle bundle, BundleContext context) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> missing = new ArrayList<>();
        boolean packages = false;
        if (revision != null) {
            for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
                String resolution = r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
                if (Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                        || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
                        || !wiring.findProviders(r).isEmpty()) {
                    continue;
                }
                String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
                if (PackageNamespace.PACKAGE_NAMESPACE.equals(r.getNamespace())) {
                    packages = true;
                    missing.add(packageReason(filter, context));
                } else {
                    missing.add("it requires " + r.getNamespace() + " " + filter + ", which this runtime does not offer");
                }
            }
        }
        if (missing.isEmpty()) {
            return "cannot resolve: a package it imports is missing or of a version this runtime does not offer";
        }
        return "cannot resolve: " + String.join("; ", missing) + (packages
                ? "; rebuild the plugin against the api and libraries this gateway ships (docs/plugin-guide.md, Versions)"
                : "");
    }

    private static String packageReason(String filter, BundleContext context) {
        Matcher name = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)").matcher(filter);
        if (!name.find()) {
            return "it imports " + filter + ", which this runtime does not offer";
        }
        String pkg = name.group(1);
        TreeSet<Version> present = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            BundleRevision r = b.adapt(BundleRevision.class);
            if (r == null) {
                continue;
            }
            for (BundleCapability c : r.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                Map<String, Object> a = c.getAttributes();
                if (pkg.equals(a.get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    Object v = a.get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
                    present.add(v instanceof Version version ? version : Version.emptyVersion);
                }
            }
        }
        String has = present.isEmpty() ? "this runtime has none"
                : "this runtime has " + String.join(", ", present.stream().map(Version::toString).toList());
        return "it imports " + pkg + " " + range(filter) + ", " + has;
    }

    /** The version range of a package filter as bnd wrote it, e.g. {@code [2.0.0,3.0.0)}. */
    private static String range(String filter) {
        Matcher upper = UPPER.matcher(filter);
        String high = upper.find() ? upper.group(1) : null;
        Matcher lower = LOWER.matcher(UPPER.matcher(filter).replaceAll(""));
        String low = lower.find() ? lower.group(1) : null;
        if (low == null && high == null) {
            return "(any version)";
        }
        if (high == null) {
            return "version " + low + " or higher";
        }
        return "version [" + (low == null ? "0.0.0" : low) + "," + high + ")";
    }
}
