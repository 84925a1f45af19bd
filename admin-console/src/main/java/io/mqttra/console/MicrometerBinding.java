package io.mqttra.console;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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

    /** A registered meter and the value it reads. */
    private record Bound(Meter meter, double[] value) {
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
                registry.remove(m.getValue().meter());
            }
        }
    }

    private Bound register(MetricFamily f, Map<String, String> labels) {
        String name = f.name().replace('_', '.');
        List<Tag> tags = new ArrayList<>();
        labels.forEach((k, v) -> tags.add(Tag.of(k, v)));
        double[] value = {0};
        Meter meter = f.counter()
                ? FunctionCounter.builder(name, value, v -> v[0]).description(f.help()).tags(tags).register(registry)
                : Gauge.builder(name, value, v -> v[0]).description(f.help()).tags(tags).register(registry);
        return new Bound(meter, value);
    }
}
