package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.apache.commons.csv.CSVPrinter;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.LineChart;
import org.dgrab.lab.report.TextTable;

/** The reports of a {@link TrainingRun}: its tables on the console, its {@code metrics.csv} and chart panels. */
final class RunReport {
    private RunReport() {
    }

    /** @return the text with its first letter upper-case, for chart titles */
    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Writes the rows as {@code metrics.csv}. */
    static void writeCsv(List<MetricsRow> rows, Path file) throws IOException {
        try (CSVPrinter csv = CsvFiles.create(file, MetricsRow.columns())) {
            for (MetricsRow r : rows) {
                csv.printRecord(r.csvCells());
            }
        }
    }

    /** One panel: the mean over seeds per ordering, with a min-max band when there are several seeds. */
    static LineChart chart(MetricsSummary summary, List<Long> seeds, String title, String yTitle,
                           ToDoubleFunction<MetricsRow> metric) {
        String what = seeds.size() == 1 ? "seed " + seeds.get(0)
                : "mean over " + seeds.size() + " seeds, band: min to max";
        // A linear axis: XChart labels a logarithmic one only at powers of ten, too few for losses between 0.3 and 3.
        LineChart c = new LineChart(title + " (" + what + ")", "epoch", yTitle).integerX(true).size(760, 520);
        for (String o : summary.orders()) {
            MetricsSummary.Series s = summary.series(o, metric);
            if (seeds.size() > 1) {
                c.series(o, s.epochs(), finite(s.mean()), finite(s.min()), finite(s.max()));
            } else {
                c.series(o, s.epochs(), finite(s.mean()));
            }
        }
        return c;
    }

    /** A diverged run has NaN or infinite losses; the chart leaves such points out instead of failing. */
    private static double[] finite(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    /** @return the console table of one metric: a row per epoch, a column per ordering (means over seeds) */
    static TextTable table(MetricsSummary summary, ToDoubleFunction<MetricsRow> metric) {
        List<String> ords = summary.orders();
        String[] header = new String[ords.size() + 1];
        header[0] = "epoch";
        for (int i = 0; i < ords.size(); i++) {
            header[i + 1] = ords.get(i);
        }
        TextTable t = new TextTable(header);
        List<MetricsSummary.Series> series = new ArrayList<>();
        for (String o : ords) {
            series.add(summary.series(o, metric));
        }
        double[] epochs = series.get(0).epochs();
        for (int e = 0; e < epochs.length; e++) {
            Object[] row = new Object[header.length];
            row[0] = (int) epochs[e];
            for (int i = 0; i < series.size(); i++) {
                double[] m = series.get(i).mean();
                row[i + 1] = e < m.length ? Decimals.fixed(m[e], 6) : "";
            }
            t.row(row);
        }
        return t;
    }
}
