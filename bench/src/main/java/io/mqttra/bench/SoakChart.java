package io.mqttra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak run as an SVG time series: one panel per quantity (heap after GC, direct buffers, live
 * threads, open files), minutes across, the loaded part shaded, the idle start and end samples as
 * dots. Written by hand: a few lines and polylines, readable in a browser and on GitHub.
 */
final class SoakChart {

    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 150;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int GAP = 40;

    private record Panel(String title, String unit, ToDoubleFunction<Soak.Sample> value) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("heap after full GC", "MiB", s -> s.reading().heapBytes() < 0 ? -1 : s.reading().heapBytes() / 1048576.0),
            new Panel("direct buffers", "MiB", s -> s.reading().directBytes() < 0 ? -1 : s.reading().directBytes() / 1048576.0),
            new Panel("live threads", "", s -> s.reading().threads()),
            new Panel("open file descriptors", "", s -> s.reading().fileDescriptors()));

    private SoakChart() {
    }

    static void write(String title, List<Soak.Sample> samples, Path file) throws IOException {
        double maxMinutes = Math.max(1e-9, samples.stream().mapToDouble(Soak.Sample::minutes).max().orElse(1));
        int height = TOP + PANELS.size() * (PANEL_HEIGHT + GAP);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", WIDTH, height, LEFT, escape(title)));
        double plotWidth = WIDTH - LEFT - RIGHT;
        for (int i = 0; i < PANELS.size(); i++) {
            Panel panel = PANELS.get(i);
            int top = TOP + i * (PANEL_HEIGHT + GAP) + 15;
            List<Soak.Sample> shown = samples.stream().filter(s -> panel.value().applyAsDouble(s) >= 0).toList();
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s%s</text>%n", LEFT, top - 5,
                    escape(panel.title()), panel.unit().isEmpty() ? "" : " (" + panel.unit() + ")"));
            if (shown.isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">not measured for this broker</text>%n", LEFT + 10,
                        top + PANEL_HEIGHT / 2));
                continue;
            }
            double max = shown.stream().mapToDouble(panel.value()).max().orElse(1);
            double top0 = niceCeiling(max * 1.1);
            // the loaded part of the run
            List<Soak.Sample> loaded = samples.stream().filter(Soak.Sample::loaded).toList();
            if (!loaded.isEmpty()) {
                double x0 = LEFT + plotWidth * loaded.get(0).minutes() / maxMinutes;
                double x1 = LEFT + plotWidth * loaded.get(loaded.size() - 1).minutes() / maxMinutes;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eef3fb\"/>%n",
                        x0, top, Math.max(0, x1 - x0), PANEL_HEIGHT));
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                    LEFT, top, plotWidth, PANEL_HEIGHT));
            for (int g = 0; g <= 4; g++) {
                double v = top0 * g / 4;
                double y = top + PANEL_HEIGHT - PANEL_HEIGHT * v / top0;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                        + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotWidth, y, LEFT - 6, y + 4,
                        label(v)));
            }
            StringBuilder points = new StringBuilder();
            for (Soak.Sample s : shown) {
                double x = LEFT + plotWidth * s.minutes() / maxMinutes;
                double y = top + PANEL_HEIGHT - PANEL_HEIGHT * panel.value().applyAsDouble(s) / top0;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                if (!s.loaded()) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\"><title>%s: %s</title>"
                            + "</circle>%n", x, y, escape(s.label()), label(panel.value().applyAsDouble(s))));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>%n",
                    points.toString().trim()));
        }
        int axisY = height - 12;
        for (int m = 0; m <= 10; m++) {
            double minutes = maxMinutes * m / 10;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>%n",
                    LEFT + plotWidth * m / 10, axisY, m == 10 ? "end" : "middle", label(minutes) + (m == 10 ? " min" : "")));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"36\" fill=\"#555\" text-anchor=\"end\">red dots: idle"
                + " samples (no client connected); shaded: samples under load</text>%n", WIDTH - RIGHT));
        svg.append("</svg>\n");
        Files.writeString(file, svg);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
