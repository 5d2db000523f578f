package org.dgrab.examples.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.gradient.LastLayerGradientSource;
import org.dgrab.dl4j.model.ModelAdapter;
import org.dgrab.examples.data.MissingDataException;
import org.dgrab.examples.experiment.Evaluator;
import org.dgrab.examples.experiment.MetricsRow;
import org.dgrab.examples.experiment.MetricsSummary;
import org.dgrab.examples.experiment.TrainingExperiment;
import org.dgrab.examples.report.AtomicOutput;
import org.dgrab.examples.report.LineChart;
import org.dgrab.examples.report.TextTable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import picocli.CommandLine.Mixin;

/**
 * The pipeline shared by the model-training commands ({@code cifar10}, {@code fashion-mnist}, {@code demo},
 * {@code lm}, {@code logreg}): they differ only in their data, model and metric ({@link #prepare}) and in their
 * defaults.
 *
 * <p>For every seed and every ordering of {@code --orders} it builds the network from the seed (so all orderings of
 * a seed start from the same weights and shards) and trains it with
 * {@link org.dgrab.dl4j.trainer.DataParallelTrainer} through {@link TrainingExperiment}, evaluating after every
 * epoch with the task's {@link Evaluator}. Then it prints the train-loss and test-metric tables (means over seeds),
 * writes {@code metrics.csv} and {@code metrics.png} atomically, and ends with the line
 * {@code summary <order>=<final train loss> ...}. Missing data ends it with exit code 1 and a message saying where
 * to put the files, before anything is written; invalid options (including a granularity the model does not
 * support) with exit code 2.
 */
public abstract class TrainingCommand extends DgrabCommand {

    /** Name of the metrics file. */
    public static final String CSV = "metrics.csv";
    /** Name of the chart. */
    public static final String PNG = "metrics.png";

    /** {@code --orders}. */
    @Mixin
    protected OrderOptions orders;

    /** The training options. */
    @Mixin
    protected TrainingOptions training;

    /** For subclasses. */
    protected TrainingCommand() {
    }

    /**
     * What to train and how to measure it.
     *
     * @param train         training examples (each one ordered unit at example granularity)
     * @param testExamples  number of test examples, for the report (at least 1)
     * @param evaluator     measures train loss, test loss and test metric after every epoch
     * @param modelFactory  builds the initial network of a seed (deterministic in the seed)
     * @param description   model, data and sizes for the report, e.g.
     *                      {@code "LeNet-5 on CIFAR-10 (...): 50000 train / 10000 test images"}
     * @param unit          what an example is, plural, e.g. {@code images}
     * @param trainLossName the train loss in tables and charts, e.g. {@code train loss}
     * @param metricName    the test metric in tables and charts, e.g. {@code test accuracy}
     * @param metricShort   the test metric in progress lines, e.g. {@code test acc}
     */
    protected record Task(DataSet train, int testExamples, Evaluator evaluator,
                          LongFunction<MultiLayerNetwork> modelFactory, String description, String unit,
                          String trainLossName, String metricName, String metricShort) {
    }

    /**
     * Loads the data and describes the model and the metric. Called after the options are validated, before
     * anything is written.
     *
     * @return the task
     * @throws MissingDataException if the data is not there (the message says where to put it); exit code 1
     * @throws IOException          if the data cannot be read
     */
    protected abstract Task prepare() throws IOException;

    /**
     * Checks the command's own options (beyond the training options), before any data is loaded.
     *
     * @throws picocli.CommandLine.ParameterException for an invalid value
     */
    protected void validateOwnOptions() {
    }

    /**
     * Runs the experiment.
     *
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read or the results cannot be written (nothing is left behind)
     */
    @Override
    public final Integer call() throws IOException {
        List<OrderingConfig.Kind> kinds = validate();
        Path outDir = training.outDir(spec.name());
        try {
            // Fail now, not after the training, if the results could not be written.
            AtomicOutput.checkWritableDir(outDir);
        } catch (IOException e) {
            throw invalid("--out", outDir, e.getMessage());
        }
        String name = spec.qualifiedName();
        if (training.threads() > 0) {
            // Per-operation parallelism: ND4J's own loops and BLAS. Small networks lose more to thread hand-offs
            // than they gain, the more so on a busy machine.
            Nd4j.getEnvironment().setMaxThreads(training.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(training.threads());
            Nd4j.factory().blas().setMaxThreads(training.threads());
        }

        Task task;
        long t0 = System.nanoTime();
        try {
            task = prepare();
        } catch (MissingDataException e) {
            err().println(name + ": " + e.getMessage());
            err().println(name + ": nothing was written to " + outDir);
            err().flush();
            return 1;
        }
        int nTrain = task.train().numExamples();
        if (task.testExamples() < 1) {
            throw new IOException("the test set is empty");
        }
        if (nTrain < training.workers()) {
            throw invalid("--workers", training.workers(), "the training set has " + nTrain + " examples"
                    + (training.limitTrain() > 0 ? " (--limit-train " + training.limitTrain() + ")" : "")
                    + " and every worker needs at least one");
        }
        err().printf(Locale.ROOT, "%s: loaded %d training and %d test %s in %.1f s%n", name, nTrain,
                task.testExamples(), task.unit(), (System.nanoTime() - t0) / 1e9);
        List<Long> seeds = training.seeds();
        checkGranularity(task, seeds.get(0));

        List<String> ids = new ArrayList<>();
        for (OrderingConfig.Kind k : kinds) {
            ids.add(k.id());
        }
        out().println(describe(task, ids, seeds));
        out().flush();

        TrainingExperiment experiment = new TrainingExperiment(task.train(), task.evaluator(), task.modelFactory(),
                ids, seeds, training.workers(), training.epochs(), training.batch(), training.granularity(), 1);
        List<MetricsRow> rows;
        int totalEpochs = ids.size() * seeds.size() * training.epochs();
        try (ProgressBar progress = progress(name, totalEpochs)) {
            rows = experiment.run(new TrainingExperiment.Listener() {
                @Override
                public void epochDone(MetricsRow row, int done, int total) {
                    progress.set(done, String.format(Locale.ROOT, "%s seed %d epoch %d/%d: train loss %.4f, "
                                    + "%s %.4f", row.order(), row.seed(), row.epoch(), training.epochs(),
                            row.trainLoss(), task.metricShort(), row.testMetric()));
                }

                @Override
                public void stepDone(String order, long seed, int epoch, int step, int steps) {
                    progress.set(progress.done(), String.format(Locale.ROOT, "%s seed %d epoch %d/%d %s", order,
                            seed, epoch, training.epochs(), step < steps ? "step " + step + "/" + steps
                                    : "evaluating"));
                }
            });
        }
        rows = MetricsSummary.sorted(rows, ids, seeds);
        MetricsSummary summary = new MetricsSummary(rows);

        List<Path> written;
        try (AtomicOutput files = new AtomicOutput(outDir)) {
            writeCsv(rows, files.create(CSV));
            if (!training.noChart()) {
                LineChart.writePanels(files.create(PNG),
                        chart(summary, capitalise(task.trainLossName()) + " (full training set)",
                                task.trainLossName(), MetricsRow::trainLoss),
                        chart(summary, capitalise(task.metricName()), task.metricName(), MetricsRow::testMetric));
            }
            written = files.commit();
        }

        String seedNote = seeds.size() == 1 ? "seed " + seeds.get(0) : "mean over seeds " + join(seeds);
        out().println();
        out().println(task.trainLossName() + ", full training set (" + seedNote + "; epoch 0 = initial model):");
        table(summary, MetricsRow::trainLoss).print(out());
        out().println();
        out().println(task.metricName() + " (" + seedNote + "):");
        table(summary, MetricsRow::testMetric).print(out());
        out().println();
        StringBuilder time = new StringBuilder("seconds per epoch, training (of which ordering):");
        for (String o : summary.orders()) {
            time.append(String.format(Locale.ROOT, " %s %.2f (%.3f)", o,
                    summary.meanOverTrainedEpochs(o, MetricsRow::epochSeconds),
                    summary.meanOverTrainedEpochs(o, MetricsRow::orderingSeconds)));
        }
        out().println(time);
        for (Path p : written) {
            out().println("wrote " + p);
        }
        StringBuilder last = new StringBuilder("summary");
        for (String o : summary.orders()) {
            last.append(' ').append(o).append('=').append(fmt(summary.series(o, MetricsRow::trainLoss).last()));
        }
        out().println(last);
        out().flush();
        return 0;
    }

    /**
     * Rejects a granularity the model cannot train with, as an invalid option rather than a failure halfway:
     * example-last-layer needs a dense {@code OutputLayer}, which the trainer checks when it is built. The check
     * builds the trainer's gradient source on a throwaway copy of the model, so it gives the trainer's own message.
     */
    private void checkGranularity(Task task, long seed) {
        if (training.granularity() != Granularity.EXAMPLE_LAST_LAYER) {
            return;
        }
        try {
            new LastLayerGradientSource(ModelAdapter.of(task.modelFactory().apply(seed)));
        } catch (IllegalArgumentException e) {
            throw invalid("--granularity", training.granularity().id(), e.getMessage());
        }
    }

    /**
     * Checks every training option.
     *
     * @return the orderings
     * @throws picocli.CommandLine.ParameterException naming option, value and valid range
     */
    private List<OrderingConfig.Kind> validate() {
        checkRange("--workers", training.workers(), 1, TrainingOptions.MAX_WORKERS);
        checkRange("--epochs", training.epochs(), 1, TrainingOptions.MAX_EPOCHS);
        checkRange("--batch", training.batch(), 1, TrainingOptions.MAX_BATCH);
        double lr = training.lr();
        if (!(lr > 0 && lr <= TrainingOptions.MAX_LR)) {
            throw invalid("--lr", training.lr(), "valid: > 0 and <= " + (int) TrainingOptions.MAX_LR);
        }
        List<Long> seeds = training.seeds();
        if (seeds.isEmpty() || seeds.size() > TrainingOptions.MAX_SEEDS) {
            throw invalid("--seeds", join(seeds), "give 1.." + TrainingOptions.MAX_SEEDS + " seeds");
        }
        Set<Long> seen = new HashSet<>();
        for (long s : seeds) {
            if (!seen.add(s)) {
                throw invalid("--seeds", join(seeds), "seed " + s + " is listed twice");
            }
        }
        checkRange("--threads", training.threads(), 0, TrainingOptions.MAX_THREADS);
        checkRange("--limit-train", training.limitTrain(), 0, Integer.MAX_VALUE);
        checkRange("--limit-test", training.limitTest(), 0, Integer.MAX_VALUE);
        if (training.limitTrain() > 0 && training.limitTrain() < training.workers()) {
            throw invalid("--limit-train", training.limitTrain(), "valid: 0 (all) or at least --workers = "
                    + training.workers() + ", as every worker needs an example");
        }
        List<OrderingConfig.Kind> kinds = orders.kinds();
        if (kinds.isEmpty()) {
            throw invalid("--orders", "", "name at least one ordering");
        }
        validateOwnOptions();
        return kinds;
    }

    private String describe(Task task, List<String> ids, List<Long> seeds) {
        return String.format(Locale.ROOT, "%s: %s, %d workers x batch %d, %s lr %s, granularity %s, %d epochs, "
                        + "seeds %s, orders %s", spec.qualifiedName(), task.description(), training.workers(),
                training.batch(), training.optimizer().id(), trim(training.lr()), training.granularity().id(),
                training.epochs(), join(seeds), String.join(",", ids));
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void writeCsv(List<MetricsRow> rows, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(MetricsRow.HEADER);
            w.write('\n');
            for (MetricsRow r : rows) {
                w.write(r.toCsv());
                w.write('\n');
            }
        }
    }

    /** One panel: the mean over seeds per ordering, with a min-max band when there are several seeds. */
    private LineChart chart(MetricsSummary summary, String title, String yTitle, ToDoubleFunction<MetricsRow> metric) {
        List<Long> seeds = training.seeds();
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

    private TextTable table(MetricsSummary summary, ToDoubleFunction<MetricsRow> metric) {
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
                row[i + 1] = e < m.length ? fmt(m[e]) : "";
            }
            t.row(row);
        }
        return t;
    }

    /** Same format as the CSV, so that the table, CSV and summary line agree for one seed. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** @return a double without a trailing {@code .0} */
    static String trim(double v) {
        String s = String.valueOf(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** @return the values, comma-separated */
    static String join(List<Long> values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }
}
