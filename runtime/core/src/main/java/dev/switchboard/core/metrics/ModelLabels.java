package dev.switchboard.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model names as a label. Clients may send any name (a channel's {@code *} pattern takes them all), so only the
 * first {@link #MAX} distinct names get their own series; later ones share {@code other}, keeping the number of
 * series, and the scrape, bounded.
 */
final class ModelLabels {

    static final int MAX = 200;
    static final String OTHER = "other";
    static final String NONE = "none";

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int max;

    ModelLabels() {
        this(MAX);
    }

    ModelLabels(int max) {
        this.max = max;
    }

    /** @param model a model name, or null @return the label to record it under */
    String of(String model) {
        if (model == null || model.isEmpty()) {
            return NONE;
        }
        if (seen.contains(model)) {
            return model;
        }
        if (seen.size() >= max) {
            return OTHER;
        }
        seen.add(model);
        return model;
    }
}
