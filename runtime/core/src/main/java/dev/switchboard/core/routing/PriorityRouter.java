package dev.switchboard.core.routing;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.store.ChannelRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Routing by priority tier and weight: the enabled channels of the group that list the model (exactly or by a
 * prefix pattern such as {@code qwen-*}), whose type is installed and supports the operation, and whose circuit
 * breakers are not open, ordered for failover: the highest priority tier first, a weighted random order within
 * each tier. A pinned channel skips the order and the breakers (an operator asked for it), not its status.
 */
public final class PriorityRouter implements ChannelRouter {

    private final Channels channels;
    private final AdapterRegistry adapters;
    private final Breakers breakers;

    /**
     * Routing without circuit breakers.
     *
     * @param channels the channel registry
     * @param adapters the installed channel types
     */
    public PriorityRouter(Channels channels, AdapterRegistry adapters) {
        this(channels, adapters, Breakers.off());
    }

    /**
     * @param channels the channel registry
     * @param adapters the installed channel types
     * @param breakers the circuit breakers; channels they hold open are skipped
     */
    public PriorityRouter(Channels channels, AdapterRegistry adapters, Breakers breakers) {
        this.channels = channels;
        this.adapters = adapters;
        this.breakers = breakers;
    }

    @Override
    public List<Candidate> route(String group, String model, Operation operation, Long pinnedChannel) {
        if (pinnedChannel != null) {
            return List.of(pinned(pinnedChannel, model, operation));
        }
        List<Candidate> usable = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        boolean listed = false;
        for (ChannelRecord c : channels.list()) {
            if (!c.groups().contains(group) || !ModelNames.serves(c.models(), model)) {
                continue;
            }
            listed = true;
            String reason = usability(c, operation).orElse(null);
            if (reason == null) {
                reason = breakers.blocked(c.id(), model);
            }
            if (reason == null) {
                usable.add(candidate(c, model));
            } else {
                reasons.add(reason);
            }
        }
        if (!listed) {
            throw new NoChannelException(true, "no available channel for model " + model);
        }
        if (usable.isEmpty()) {
            throw new NoChannelException(false, "no available channel for model " + model + ": "
                    + String.join("; ", reasons));
        }
        return order(usable);
    }

    @Override
    public List<String> models(String group) {
        Set<String> out = new TreeSet<>();
        for (ChannelRecord c : channels.list()) {
            if (c.groups().contains(group) && ChannelRecord.ENABLED.equals(c.status())) {
                out.addAll(ModelNames.exact(c.models()));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean serves(String group, String model) {
        for (ChannelRecord c : channels.list()) {
            if (c.groups().contains(group) && ChannelRecord.ENABLED.equals(c.status())
                    && ModelNames.serves(c.models(), model)) {
                return true;
            }
        }
        return false;
    }

    private Candidate pinned(long id, String model, Operation operation) {
        ChannelRecord c = channels.get(id).orElseThrow(() -> new NoChannelException(true,
                "channel not found: no channel with id " + id));
        usability(c, operation).ifPresent(reason -> {
            throw new NoChannelException(false, "channel " + id + " cannot serve: " + reason);
        });
        return candidate(c, model);
    }

    private Optional<String> usability(ChannelRecord c, Operation operation) {
        if (!ChannelRecord.ENABLED.equals(c.status())) {
            return Optional.of("channel " + c.id() + " is " + c.status().replace('_', ' '));
        }
        Optional<InstalledAdapter> a = adapters.find(c.type());
        if (a.isEmpty()) {
            return Optional.of("channel type '" + c.type() + "' is not installed");
        }
        if (!a.get().adapter().channelType().operations().contains(operation)) {
            return Optional.of("channel type '" + c.type() + "' does not support " + operation.wireName());
        }
        return Optional.empty();
    }

    private Candidate candidate(ChannelRecord c, String model) {
        InstalledAdapter a = adapters.find(c.type()).orElseThrow();
        return new Candidate(c, a, c.modelMapping().getOrDefault(model, model));
    }

    /**
     * The order to try: priority tiers from the highest down; within a tier a weighted random order (each next
     * pick weighted among those left), weight-0 channels last in their tier.
     */
    static List<Candidate> order(List<Candidate> usable) {
        return order(usable, ThreadLocalRandom.current());
    }

    /** As {@link #order(List)}, drawing from {@code random} (tests give a seeded one). */
    static List<Candidate> order(List<Candidate> usable, RandomGenerator random) {
        if (usable.size() == 1) {
            return usable;
        }
        java.util.TreeMap<Integer, List<Candidate>> tiers = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (Candidate c : usable) {
            tiers.computeIfAbsent(c.channel().priority(), k -> new ArrayList<>()).add(c);
        }
        List<Candidate> out = new ArrayList<>(usable.size());
        for (List<Candidate> tier : tiers.values()) {
            List<Candidate> left = new ArrayList<>(tier);
            while (!left.isEmpty()) {
                long total = left.stream().mapToLong(x -> Math.max(0, x.channel().weight())).sum();
                int chosen = 0;
                if (total == 0) {
                    chosen = random.nextInt(left.size());
                } else {
                    long r = random.nextLong(total);
                    for (int i = 0; i < left.size(); i++) {
                        r -= Math.max(0, left.get(i).channel().weight());
                        if (r < 0) {
                            chosen = i;
                            break;
                        }
                    }
                }
                out.add(left.remove(chosen));
            }
        }
        return out;
    }
}
