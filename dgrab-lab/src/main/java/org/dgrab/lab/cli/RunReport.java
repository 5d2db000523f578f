package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import org.apache.commons.csv.CSVPrinter;
import org.dgrab.core.OrderingConfig;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.LineChart;
import org.dgrab.lab.report.ResultFiles;
import org.dgrab.lab.report.TextTable;

/** The reports of a {@link TrainingRun}: its tables on the console, its {@code metrics.csv} and chart panels. */
final class RunReport {
    private RunReport() {
    }

    /** First word of the time-to-accuracy line, printed after the summary line. */
    static final String TIME_TO_DRR_FINAL = "time-to-drr-final";

    /**
     * Prints a run's results: the train-loss and metric tables per epoch, the seconds per epoch, the line
     * {@code summary <order>=<final train loss> ...} and, when D-RR ran, the {@link #timeToDrrFinal} line.
     *
     * @param out     the console
     * @param task    what was trained, for the names of its loss and metric
     * @param summary the run's metrics
     * @param seeds   the seeds run
     */
    static void print(PrintWriter out, TrainingRun.Task task, MetricsSummary summary, List<Long> seeds) {
        print(out, task.trainLossName(), task.metricName(), summary, seeds);
    }

    /**
     * Prints a run's results as {@link #print(PrintWriter, TrainingRun.Task, MetricsSummary, List)} does, for a
     * command without a {@link TrainingRun.Task}.
     *
     * @param out           the console
     * @param trainLossName the train loss in the tables, e.g. {@code train loss}
     * @param metricName    the test metric in the tables, e.g. {@code test accuracy}
     * @param summary       the run's metrics
     * @param seeds         the seeds run
     */
    static void print(PrintWriter out, String trainLossName, String metricName, MetricsSummary summary,
                      List<Long> seeds) {
        String seedNote = seeds.size() == 1 ? "seed " + seeds.get(0) : "mean over seeds " + join(seeds);
        out.println();
        out.println(trainLossName + ", full training set (" + seedNote + "; epoch 0 = initial model):");
        RunReport.table(summary, MetricsRow::trainLoss).print(out);
        out.println();
        out.println(metricName + " (" + seedNote + "):");
        RunReport.table(summary, MetricsRow::testMetric).print(out);
        out.println();
        StringBuilder time = new StringBuilder("seconds per epoch, training (of which ordering):");
        for (String o : summary.orders()) {
            time.append(String.format(Locale.ROOT, " %s %.2f (%.3f)", o,
                    summary.meanOverTrainedEpochs(o, MetricsRow::epochSeconds),
                    summary.meanOverTrainedEpochs(o, MetricsRow::orderingSeconds)));
        }
        out.println(time);
        StringBuilder last = new StringBuilder("summary");
        for (String o : summary.orders()) {
            last.append(' ').append(o).append('=').append(Decimals.fixed(summary.series(o, MetricsRow::trainLoss).last(), 6));
        }
        out.println(last);
        String toDrr = timeToDrrFinal(summary);
        if (toDrr != null) {
            out.println(toDrr);
        }
    }

    /**
     * The line {@code time-to-drr-final <order>=<fraction> ...}: per ordering, the mean training time to reach
     * D-RR's final mean train loss as a fraction of D-RR's mean total training time
     * ({@link MetricsSummary#timeToFinalLoss}), {@code none} where it was never reached.
     *
     * @param summary the run's metrics
     * @return the line, or null when {@code d-rr} was not run (there is no target then)
     */
    static String timeToDrrFinal(MetricsSummary summary) {
        return timeToFinal(summary, OrderingConfig.Kind.RANDOM_RESHUFFLING.id(), TIME_TO_DRR_FINAL);
    }

    /**
     * The line {@code <firstWord> <order>=<fraction> ...} of {@link #timeToDrrFinal} against another reference.
     *
     * @param summary   the run's metrics
     * @param reference the reference ordering's name, e.g. {@code dl4j-shuffle}
     * @param firstWord the line's first word, e.g. {@code time-to-shuffle-final}
     * @return the line, or null when the reference was not run
     */
    static String timeToFinal(MetricsSummary summary, String reference, String firstWord) {
        Map<String, Optional<MetricsSummary.Reached>> reached = summary.timeToFinalLoss(reference);
        if (reached.isEmpty()) {
            return null;
        }
        StringBuilder line = new StringBuilder(firstWord);
        for (Map.Entry<String, Optional<MetricsSummary.Reached>> e : reached.entrySet()) {
            line.append(' ').append(e.getKey()).append('=')
                    .append(e.getValue().map(r -> fraction(r.fraction())).orElse("none"));
        }
        return line.toString();
    }

    /** A fraction with at most 4 decimals and no trailing zeros: {@code 1} for exactly one, {@code 0.75}. */
    private static String fraction(double v) {
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** @return the values, comma-separated */
    static String join(List<Long> values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
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

    /**
     * Writes {@link TrainingRun#PNG}: the train loss and the test metric against epoch, one panel each.
     *
     * @param files         the run's result files (a failure is recorded there)
     * @param summary       the run's metrics
     * @param seeds         the seeds run
     * @param trainLossName the train loss in the chart, e.g. {@code train loss}
     * @param metricName    the test metric in the chart, e.g. {@code test accuracy}
     */
    static void writeChart(ResultFiles files, MetricsSummary summary, List<Long> seeds, String trainLossName,
                           String metricName) {
        files.write(TrainingRun.PNG, file -> LineChart.writePanels(file,
                chart(summary, seeds, capitalise(trainLossName) + " (full training set)", trainLossName,
                        MetricsRow::trainLoss),
                chart(summary, seeds, capitalise(metricName), metricName, MetricsRow::testMetric)));
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
