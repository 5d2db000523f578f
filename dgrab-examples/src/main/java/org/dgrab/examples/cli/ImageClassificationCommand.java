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
import org.dgrab.examples.cli.TrainingOptions.ModelKind;
import org.dgrab.examples.data.MissingDataException;
import org.dgrab.examples.experiment.ClassificationExperiment;
import org.dgrab.examples.experiment.MetricsRow;
import org.dgrab.examples.experiment.MetricsSummary;
import org.dgrab.examples.models.Models;
import org.dgrab.examples.report.AtomicOutput;
import org.dgrab.examples.report.LineChart;
import org.dgrab.examples.report.TextTable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import picocli.CommandLine.Mixin;

/**
 * The pipeline shared by the image-classification commands ({@code cifar10}, {@code fashion-mnist}, {@code demo}):
 * they differ only in where the data comes from ({@link #load}) and in their defaults.
 *
 * <p>For every seed and every ordering of {@code --orders} it builds the network from the seed (so all orderings of
 * a seed start from the same weights and shards) and trains it with
 * {@link org.dgrab.dl4j.trainer.DataParallelTrainer} through {@link ClassificationExperiment}, evaluating after
 * every epoch. Then it prints the train-loss and test-accuracy tables (means over seeds), writes
 * {@code metrics.csv} and {@code metrics.png} atomically, and ends with the line
 * {@code summary <order>=<final train loss> ...}. Missing data ends it with exit code 1 and a message saying where
 * to put the files, before anything is written; invalid options with exit code 2.
 */
public abstract class ImageClassificationCommand extends DgrabCommand {

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
    protected ImageClassificationCommand() {
    }

    /**
     * A loaded image data set. Features are flat, {@code [N, channels * height * width]} in channel-first order
     * (all of channel 0, then channel 1, ...), values in {@code [0, 1]}; labels one-hot {@code [N, classes]}.
     *
     * @param train    training examples
     * @param test     test examples
     * @param channels image channels
     * @param height   image height
     * @param width    image width
     * @param classes  classes
     * @param source   where the data came from, for the report (e.g. a directory)
     */
    protected record ImageData(DataSet train, DataSet test, int channels, int height, int width, int classes,
                               String source) {
    }

    /**
     * Loads the data.
     *
     * @param limitTrain at most this many training examples, {@code 0} for all
     * @param limitTest  at most this many test examples, {@code 0} for all
     * @return the data
     * @throws MissingDataException if the files are not there (the message says where to put them)
     * @throws IOException          if they cannot be read
     */
    protected abstract ImageData load(int limitTrain, int limitTest) throws IOException;

    /** @return what the data set is called in the report, e.g. {@code CIFAR-10} */
    protected abstract String dataName();

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

        ImageData data;
        long t0 = System.nanoTime();
        try {
            data = load(training.limitTrain(), training.limitTest());
        } catch (MissingDataException e) {
            err().println(name + ": " + e.getMessage());
            err().println(name + ": nothing was written to " + outDir);
            err().flush();
            return 1;
        }
        long pixels = (long) data.channels() * data.height() * data.width();
        for (DataSet d : new DataSet[] {data.train(), data.test()}) {
            if (d.getFeatures().rank() != 2 || d.getFeatures().size(1) != pixels) {
                throw new IOException(data.source() + ": images have " + d.getFeatures().length()
                        / Math.max(1, d.getFeatures().size(0)) + " values each, expected " + data.channels() + "x"
                        + data.height() + "x" + data.width() + " = " + pixels);
            }
        }
        int nTrain = data.train().numExamples();
        int nTest = data.test().numExamples();
        if (nTest < 1) {
            throw new IOException("the test set of " + data.source() + " is empty");
        }
        if (nTrain < training.workers()) {
            throw invalid("--workers", training.workers(), "the training set has " + nTrain + " examples"
                    + (training.limitTrain() > 0 ? " (--limit-train " + training.limitTrain() + ")" : "")
                    + " and every worker needs at least one");
        }
        err().printf(Locale.ROOT, "%s: loaded %d training and %d test images in %.1f s%n", name, nTrain, nTest,
                (System.nanoTime() - t0) / 1e9);

        List<String> ids = new ArrayList<>();
        for (OrderingConfig.Kind k : kinds) {
            ids.add(k.id());
        }
        List<Long> seeds = training.seeds();
        out().println(describe(data, ids, seeds));
        out().flush();

        ClassificationExperiment experiment = new ClassificationExperiment(data.train(), data.test(),
                modelFactory(data), ids, seeds, training.workers(), training.epochs(), training.batch(),
                training.granularity(), 1);
        List<MetricsRow> rows;
        int totalEpochs = ids.size() * seeds.size() * training.epochs();
        try (ProgressBar progress = progress(name, totalEpochs)) {
            rows = experiment.run(new ClassificationExperiment.Listener() {
                @Override
                public void epochDone(MetricsRow row, int done, int total) {
                    progress.set(done, String.format(Locale.ROOT, "%s seed %d epoch %d/%d: train loss %.4f, "
                                    + "test acc %.4f", row.order(), row.seed(), row.epoch(), training.epochs(),
                            row.trainLoss(), row.testMetric()));
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
                        chart(summary, "Train loss (full training set)", "train loss", MetricsRow::trainLoss),
                        chart(summary, "Test accuracy", "test accuracy", MetricsRow::testMetric));
            }
            written = files.commit();
        }

        String seedNote = seeds.size() == 1 ? "seed " + seeds.get(0) : "mean over seeds " + join(seeds);
        out().println();
        out().println("train loss, full training set (" + seedNote + "; epoch 0 = initial model):");
        table(summary, MetricsRow::trainLoss).print(out());
        out().println();
        out().println("test accuracy (" + seedNote + "):");
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

    private LongFunction<MultiLayerNetwork> modelFactory(ImageData d) {
        ModelKind model = training.model();
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        if (model == ModelKind.LENET) {
            return seed -> Models.lenet(d.channels(), d.height(), d.width(), d.classes(), optimizer.updater(lr), seed);
        }
        int inputs = d.channels() * d.height() * d.width();
        return seed -> Models.mlp(inputs, ModelKind.MLP_HIDDEN, d.classes(), optimizer.updater(lr), seed);
    }

    private String describe(ImageData d, List<String> ids, List<Long> seeds) {
        String model = training.model() == ModelKind.LENET ? "LeNet-5" : "MLP (" + ModelKind.MLP_HIDDEN + " hidden)";
        return String.format(Locale.ROOT, "%s: %s on %s (%s): %d train / %d test images, %d workers x batch %d, "
                        + "%s lr %s, granularity %s, %d epochs, seeds %s, orders %s", spec.qualifiedName(), model,
                dataName(), d.source(), d.train().numExamples(), d.test().numExamples(), training.workers(),
                training.batch(), training.optimizer().id(), trim(training.lr()), training.granularity().id(),
                training.epochs(), join(seeds), String.join(",", ids));
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
    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String trim(double v) {
        String s = String.valueOf(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String join(List<Long> values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }
}
