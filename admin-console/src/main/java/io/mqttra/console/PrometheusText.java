package io.mqttra.console;

import java.util.List;
import java.util.Map;

/** Prometheus's text exposition format 0.0.4: HELP and TYPE lines, then one line per sample. */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    static String format(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder(4096);
        for (MetricFamily f : families) {
            String name = f.exposedName();
            out.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(f.counter() ? "counter" : "gauge").append('\n');
            for (MetricFamily.Sample s : f.samples()) {
                out.append(name);
                labels(out, s.labels());
                out.append(' ').append(number(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    private static void labels(StringBuilder out, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        out.append('{');
        String separator = "";
        for (Map.Entry<String, String> l : labels.entrySet()) {
            out.append(separator).append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            separator = ",";
        }
        out.append('}');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Whole numbers without ".0", so that counters read as the integers they are. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
