package io.mqttra.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import jakarta.enterprise.inject.spi.CDI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link MetricsCatalog} in the server's Micrometer registry. Each tick reads the catalog once and keeps the
 * values; the meters read those values, so a scrape never waits for the MXBeans, and the figures are at most a
 * tick (one second) old. Meters of a bean that went away are removed. Names keep Prometheus's spelling through
 * Micrometer's naming convention: {@code mqttra.messages.received} as a counter is exposed as
 * {@code mqttra_messages_received_total}.
 */
final class MicrometerBinding implements Runnable {

    private final MeterRegistry registry;
    private final MetricsCatalog catalog;
    private final Map<String, Bound> meters = new ConcurrentHashMap<>();

    /** A registered meter's name, tags and the value it reads. */
    private record Bound(String name, List<Tag> tags, double[] value) {
    }

    private MicrometerBinding(MeterRegistry registry, MetricsCatalog catalog) {
        this.registry = registry;
        this.catalog = catalog;
    }

    static Runnable toServerRegistry(MetricsCatalog catalog) {
        MicrometerBinding binding = new MicrometerBinding(CDI.current().select(MeterRegistry.class).get(), catalog);
        binding.run();
        return binding;
    }

    @Override
    public void run() {
        Set<String> seen = new HashSet<>();
        for (MetricFamily f : catalog.read()) {
            for (MetricFamily.Sample s : f.samples()) {
                String key = f.name() + s.labels();
                seen.add(key);
                Bound bound = meters.computeIfAbsent(key, k -> register(f, s.labels()));
                bound.value()[0] = s.value();
            }
        }
        for (Map.Entry<String, Bound> m : new ArrayList<>(meters.entrySet())) {
            if (!seen.contains(m.getKey())) {
                meters.remove(m.getKey());
                Bound gone = m.getValue();
                registry.find(gone.name()).tags(gone.tags()).meters().forEach(registry::remove);
            }
        }
    }

    private Bound register(MetricFamily f, Map<String, String> labels) {
        String name = f.name().replace('_', '.');
        List<Tag> tags = new ArrayList<>();
        labels.forEach((k, v) -> tags.add(Tag.of(k, v)));
        double[] value = {0};
        // the registry's own methods, not Gauge.builder(...).register(registry): WildFly's per-deployment registry
        // passes only those on to the server's registry (a builder registers into the deployment's registry alone,
        // which no endpoint shows); they take no description, so the HELP lines are Micrometer's
        if (f.counter()) {
            registry.more().counter(name, tags, value, v -> v[0]);
        } else {
            registry.gauge(name, tags, value, v -> v[0]);
        }
        return new Bound(name, tags, value);
    }
}
