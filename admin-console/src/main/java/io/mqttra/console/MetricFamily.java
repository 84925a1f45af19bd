package io.mqttra.console;

import java.util.List;
import java.util.Map;

/**
 * One metric with its samples, named as Prometheus names it: a counter's name here has no {@code _total}
 * suffix ({@link PrometheusText} adds it, as Micrometer's Prometheus registry does).
 *
 * @param name e.g. {@code mqttra_messages_received}
 * @param counter true for a counter (only grows while the adapter runs), false for a gauge
 * @param help the HELP line
 * @param samples the values, each with its labels (none for broker-wide figures)
 */
record MetricFamily(String name, boolean counter, String help, List<Sample> samples) {

    record Sample(Map<String, String> labels, double value) {
    }

    static MetricFamily of(String name, boolean counter, String help, double value) {
        return new MetricFamily(name, counter, help, List.of(new Sample(Map.of(), value)));
    }

    /** The name exposed to Prometheus. */
    String exposedName() {
        return counter ? name + "_total" : name;
    }
}
