package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dgrab.core.OrderingConfig;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.data.MissingDataException;
import org.dgrab.lab.experiment.ClassificationEvaluator;
import org.dgrab.lab.experiment.DropInVsShuffle;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.ResultFiles;
import org.nd4j.linalg.dataset.DataSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dgrab drop-in}: the README's single-worker setting the way a DL4J user runs it ({@link DropInVsShuffle}):
 * {@code net.fit} on dgrab's drop-in {@code OrderedDataSetIterator} against {@code net.fit} on a plain DL4J iterator
 * over the data shuffled anew every epoch ({@code dl4j-shuffle}, this command's baseline). Per seed the methods take
 * turns, each training all its epochs, from the same initial weights. Writes the training commands'
 * {@code metrics.csv} (and {@code metrics.png}) and prints their tables, summary line and time-to lines.
 */
@Command(name = "drop-in",
        sortOptions = false,
        description = {"The drop-in iterator in net.fit against DL4J's own shuffling: an MLP (128 hidden units, SGD) "
                + "on Fashion-MNIST, one worker, per seed every method from the same initial weights.", "",
                "Methods: dl4j-shuffle (net.fit on an ExistingDataSetIterator over the data, DataSet.shuffle(seed) "
                        + "before every epoch) and any ordering of the other commands' --orders (net.fit on the "
                        + "OrderedDataSetIterator with its default units).", "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy; for dl4j-shuffle "
                        + "ordering_seconds is the shuffle (and batchBy), for the drop-in the time in dgrab's gradient "
                        + "listener) and DIR/metrics.png, prints per-epoch tables, the line summary <order>=<final "
                        + "train loss> ...; then, when d-rr ran, the line time-to-drr-final <order>=<training time "
                        + "to d-rr's final train loss, as a fraction of d-rr's total> ... (none: not reached); then, "
                        + "when dl4j-shuffle ran, as the last line, the same against dl4j-shuffle: "
                        + DropInCommand.TIME_TO_SHUFFLE_FINAL + " <order>=<fraction> ...", ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab drop-in --epochs 2 --seeds 1",
                "  # the README's setting, as in docs/benchmarks.md:",
                "  ./dgrab drop-in --data-dir /usr/share/datasets/fashion-mnist --limit-train 10000 \\",
                "      --orders dl4j-shuffle,cd-grab,d-rr"})
public final class DropInCommand extends DgrabCommand {
    /** First word of the time-to line against this command's baseline. */
    static final String TIME_TO_SHUFFLE_FINAL = "time-to-shuffle-final";
    private static final int MAX_EPOCHS = TrainingOptions.MAX_EPOCHS;
    private static final int MAX_BATCH = TrainingOptions.MAX_BATCH;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the four Fashion-MNIST IDX files, gzipped or not (e.g. "
                    + "/usr/share/datasets/fashion-mnist); default: the sample bundled for the demo ("
                    + DemoCommand.SAMPLE_TRAIN + " training and " + DemoCommand.SAMPLE_TEST + " test images).")
    private Path dataDir;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "Train on the first N training images only; 0 = all (default: ${DEFAULT-VALUE}; valid: 0.."
                    + Integer.MAX_VALUE + ").")
    private int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0",
            description = "Evaluate on the first N test images only; 0 = all (default: ${DEFAULT-VALUE}; valid: 0.."
                    + Integer.MAX_VALUE + ").")
    private int limitTest;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3,4,5", paramLabel = "LIST",
            description = "Seeds of the initial weights and of the shuffling or ordering, each once (default: "
                    + "${DEFAULT-VALUE}, those of the committed run in docs/benchmarks.md; at most "
                    + TrainingOptions.MAX_SEEDS + ").")
    private List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "E",
            description = "Epochs (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_EPOCHS + ").")
    private int epochs;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
            description = "Examples per mini-batch (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_BATCH + ").")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "LR",
            description = "SGD step (default: ${DEFAULT-VALUE}; valid: > 0 and <= " + (int) TrainingOptions.MAX_LR
                    + ").")
    private double lr;

    @Option(names = "--orders", split = ",", defaultValue = DropInVsShuffle.DL4J_SHUFFLE + ",cd-grab",
            paramLabel = "LIST", converter = MethodConverter.class,
            description = "Methods, each once, run in this order per seed and reported in it: dl4j-shuffle or an "
                    + "ordering of the other commands' --orders (default: ${DEFAULT-VALUE}).")
    private List<String> orders;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/drop-in",
            description = "Directory for metrics.csv and metrics.png, created if missing; existing result files are "
                    + "replaced (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--no-chart", description = "Skip metrics.png (e.g. on a JVM without fonts).")
    private boolean noChart;

    /** Used by picocli. */
    public DropInCommand() {
    }

    /**
     * Trains every seed and method, prints the tables and the summary lines, then writes the results.
     *
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read or a result file cannot be written (after the results are
     *                     printed; the message names the file and its cause)
     */
    @Override
    public Integer call() throws IOException {
        validate();
        checkOut(out);
        String name = spec.qualifiedName();
        DataSet train;
        DataSet test;
        try {
            if (dataDir != null) {
                FashionMnist.requireFiles(dataDir);
            }
            train = FashionMnist.loadDirOrSample(dataDir, true, limitTrain);
            test = FashionMnist.loadDirOrSample(dataDir, false, limitTest);
        } catch (MissingDataException e) {
            err().println(name + ": " + e.getMessage());
            err().println(name + ": nothing was written to " + out);
            err().flush();
            return 1;
        }
        if (train.numExamples() < 1 || test.numExamples() < 1) {
            throw new IOException((train.numExamples() < 1 ? "the training set" : "the test set") + " is empty");
        }
        out().println(String.format(Locale.ROOT, "%s: MLP %d-128-%d on Fashion-MNIST (%s): %d train / %d test "
                        + "images, one worker, net.fit, batch %d, sgd lr %s, %d epochs, seeds %s, orders %s "
                        + "(%s: the DL4J baseline; the others through the drop-in OrderedDataSetIterator, default "
                        + "units)", name, train.getFeatures().size(1), train.getLabels().size(1),
                dataDir == null ? "the bundled sample" : dataDir, train.numExamples(), test.numExamples(), batch,
                Decimals.trim(lr), epochs, RunReport.join(seeds), String.join(",", orders),
                DropInVsShuffle.DL4J_SHUFFLE));
        out().flush();

        ClassificationEvaluator evaluator = new ClassificationEvaluator(train, test);
        List<MetricsRow> rows = new ArrayList<>();
        PartialMetrics partial = new PartialMetrics(out, orders, seeds, err(), name);
        try (Progress progress = progress(name, (long) orders.size() * seeds.size() * epochs)) {
            for (long seed : seeds) {
                // Methods take turns per seed, so that a change in machine load falls on all of them.
                for (String method : orders) {
                    rows.addAll(DropInVsShuffle.run(method, train, evaluator, batch, lr, epochs, seed, row -> {
                        partial.add(row);
                        if (row.epoch() > 0) {
                            progress.set(progress.done() + 1, String.format(Locale.ROOT, "%s seed %d epoch %d/%d: "
                                            + "train loss %.4f, test acc %.4f", method, seed, row.epoch(), epochs,
                                    row.trainLoss(), row.testMetric()));
                        }
                    }));
                }
            }
        }
        List<MetricsRow> sorted = MetricsSummary.sorted(rows, orders, seeds);
        MetricsSummary summary = new MetricsSummary(sorted);

        // Everything is printed before any file is written, so that a failed write loses nothing on screen.
        RunReport.print(out(), "train loss", "test accuracy", summary, seeds);
        String toShuffle = RunReport.timeToFinal(summary, DropInVsShuffle.DL4J_SHUFFLE, TIME_TO_SHUFFLE_FINAL);
        if (toShuffle != null) {
            out().println(toShuffle);
        }
        out().flush();

        ResultFiles files = new ResultFiles(out);
        files.write(TrainingRun.CSV, file -> RunReport.writeCsv(sorted, file));
        if (!noChart) {
            RunReport.writeChart(files, summary, seeds, "train loss", "test accuracy");
        }
        files.finish(err(), "the train loss and test accuracy tables per epoch (" + (seeds.size() == 1 ? "seed "
                + seeds.get(0) : "means over the seeds") + "), the seconds per epoch and the summary lines; the "
                + "test loss" + (seeds.size() == 1 ? "" : ", the per-seed values") + " and the epoch times of every "
                + "epoch are in " + TrainingRun.CSV + " only");
        return 0;
    }

    /** Checks every option, before any data is loaded. */
    private void validate() {
        checkRange("--epochs", epochs, 1, MAX_EPOCHS);
        checkRange("--batch", batch, 1, MAX_BATCH);
        checkLearningRate(lr);
        checkSeeds(seeds);
        if (orders.isEmpty()) {
            throw invalid("--orders", "''", "name at least one method: " + DropInVsShuffle.DL4J_SHUFFLE
                    + " or an ordering");
        }
        checkDistinct("--orders", orders, o -> o);
        // A negative limit would otherwise read as "all", which the user cannot have meant.
        checkRange("--limit-train", limitTrain, 0, Integer.MAX_VALUE);
        checkRange("--limit-test", limitTest, 0, Integer.MAX_VALUE);
    }

    /** Converts one method name to its canonical form (an ordering's id: aliases name the same run). */
    public static final class MethodConverter implements ITypeConverter<String> {
        /** Used by picocli. */
        public MethodConverter() {
        }

        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("empty method name (check for stray commas)");
            }
            if (value.trim().equalsIgnoreCase(DropInVsShuffle.DL4J_SHUFFLE)) {
                return DropInVsShuffle.DL4J_SHUFFLE;
            }
            try {
                return OrderingConfig.Kind.parse(value).id();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + ", or " + DropInVsShuffle.DL4J_SHUFFLE);
            }
        }
    }
}
