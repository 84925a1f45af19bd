package io.mqttra.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A bar chart of each broker's figures relative to Mosquitto's from the same run, turned so that a bar
 * above 1 is always better (rates as measured ÷ Mosquitto, latencies and memory as Mosquitto ÷ measured).
 */
final class RatioChart {

    private RatioChart() {
    }

    /** Writes the chart; returns null when there is nothing to compare (no Mosquitto in the run). */
    static Path write(Map<String, Map<String, Scenarios.Result>> rows, List<String> brokers, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, Map<String, Scenarios.Result>> row : rows.entrySet()) {
            Scenarios.Result m = row.getValue().get("mosquitto");
            if (m != null && m.value() > 0 && brokers.stream().anyMatch(b -> row.getValue().containsKey(b))) {
                labels.add(row.getKey());
            }
        }
        if (labels.isEmpty() || brokers.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Relative to Mosquitto, same run (above 1 = better)").yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<String> shortLabels = labels.stream().map(l -> l.replace(" | ", " ").replaceAll("\\s+", " ").trim()).toList();
        for (String broker : brokers) {
            List<Double> ratios = new ArrayList<>();
            for (String label : labels) {
                Scenarios.Result m = rows.get(label).get("mosquitto");
                Scenarios.Result r = rows.get(label).get(broker);
                double ratio = r == null || r.value() <= 0 ? 0
                        : BenchMain.lowerIsBetter(m.metric()) ? m.value() / r.value() : r.value() / m.value();
                ratios.add(ratio);
            }
            chart.addSeries(broker + " ÷ mosquitto", shortLabels, ratios);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
