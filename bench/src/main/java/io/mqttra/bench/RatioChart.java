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
 * A broker that checks logins is shown against {@code mosquitto-auth}.
 */
final class RatioChart {

    private RatioChart() {
    }

    /** Writes the chart; returns null when there is nothing to compare (no Mosquitto in the run). */
    static Path write(Map<String, Map<String, Scenarios.Result>> rows, List<Ratio> ratios, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, Map<String, Scenarios.Result>> row : rows.entrySet()) {
            if (ratios.stream().anyMatch(r -> r.of(row.getValue()) != null)) {
                labels.add(row.getKey());
            }
        }
        if (labels.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Relative to Mosquitto, same run (above 1 = better)").yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<String> shortLabels = labels.stream().map(l -> l.replace(" | ", " ").replaceAll("\\s+", " ").trim()).toList();
        for (Ratio ratio : ratios) {
            List<Double> bars = new ArrayList<>();
            for (String label : labels) {
                Double r = ratio.of(rows.get(label));
                Scenarios.Result measured = rows.get(label).get(ratio.numerator());
                bars.add(r == null || r <= 0 ? 0 : BenchMain.lowerIsBetter(measured.metric()) ? 1 / r : r);
            }
            chart.addSeries(ratio.label(), shortLabels, bars);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
