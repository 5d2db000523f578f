package org.dgrab.lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.models.Models;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.ResultFiles;
import org.dgrab.lab.report.TextTable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgrab parallel-wrapper}: DL4J's {@code ParallelWrapper} training an MLP on Fashion-MNIST with the drop-in
 * iterator, its workers as the ordering's workers, for every combination of workers, averaging frequency,
 * granularity, ordering and seed; writes per epoch the train loss over the whole training set, the test accuracy
 * and the epoch's wall time. The orderings of one configuration and seed train in one JVM side by side, taking turns
 * epoch by epoch, so that their epoch times share the machine's load and can be compared as ratios.
 */
@Command(name = "parallel-wrapper",
        sortOptions = false,
        description = {"CD-GraB vs D-RR inside DL4J's ParallelWrapper: final train loss and epoch time.", "",
                "Writes DIR/parallel-wrapper.csv, prints the final values per configuration and, per configuration "
                        + "with d-rr, a line time-to-drr-final workers=W averaging=A granularity=G <order>=<training "
                        + "time to d-rr's final train loss, as a fraction of d-rr's total> ... (none: not reached)",
                ""},
        footerHeading = "%nExample:%n",
        footer = "  ./dgrab parallel-wrapper --workers 2,4 --averaging 1,5 --seeds 0,1,2 --epochs 10")
public final class ParallelWrapperCommand extends DgrabCommand {
    /** Name of the results file. */
    static final String CSV = "parallel-wrapper.csv";
    private static final String[] COLUMNS = {"order", "workers", "averaging", "granularity", "seed", "epoch",
            "train_loss", "test_accuracy", "epoch_seconds", "observer", "listener_seconds", "cumulative_seconds"};
    private static final int MAX_WORKERS = 64;
    private static final int MAX_AVERAGING = 1000;
    private static final int MAX_EPOCHS = 1000;
    private static final int MAX_BATCH = 1 << 20;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the four Fashion-MNIST IDX files; default: the sample bundled for the demo.")
    private Path dataDir;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "Train on the first N training images only; 0 = all (default: ${DEFAULT-VALUE}; valid: 0, or "
                    + "at least the largest --workers).")
    private int limitTrain;

    @Option(names = "--workers", split = ",", defaultValue = "2,4", paramLabel = "LIST",
            description = "ParallelWrapper workers, each value once (default: ${DEFAULT-VALUE}; valid: 1.."
                    + MAX_WORKERS + ").")
    private List<Integer> workers;

    @Option(names = "--averaging", split = ",", defaultValue = "1,5", paramLabel = "LIST",
            description = "Averaging frequencies, each value once (default: ${DEFAULT-VALUE}; valid: 1.."
                    + MAX_AVERAGING + ").")
    private List<Integer> averaging;

    @Option(names = "--granularities", split = ",", defaultValue = "batch,example-last-layer", paramLabel = "LIST",
            converter = TrainingOptions.GranularityConverter.class,
            description = "Units, each once: batch, example-last-layer (default: ${DEFAULT-VALUE}).")
    private List<Granularity> granularities;

    @Option(names = "--orders", split = ",", defaultValue = "cd-grab,d-rr", paramLabel = "LIST",
            converter = OrderOptions.KindConverter.class,
            description = "Orderings, each once (default: ${DEFAULT-VALUE}; valid: as for the other commands' "
                    + "--orders).")
    private List<OrderingConfig.Kind> orders;

    @Option(names = "--observers", split = ",", defaultValue = "workers", paramLabel = "LIST",
            description = "Where orderings that use gradients observe them: workers (on the training threads, the "
                    + "library's default) or thread (dgrab's observer thread, optObserverThread); each value is a run "
                    + "of its own (default: ${DEFAULT-VALUE}).")
    private List<String> observers;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "LIST",
            description = "Seeds of the initial weights and the orderings, each once (default: ${DEFAULT-VALUE}; at "
                    + "most " + TrainingOptions.MAX_SEEDS + ").")
    private List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "E",
            description = "Epochs (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_EPOCHS + ").")
    private int epochs;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "B",
            description = "Examples per worker batch (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_BATCH + ").")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "LR",
            description = "SGD step (default: ${DEFAULT-VALUE}; valid: > 0 and <= " + (int) TrainingOptions.MAX_LR
                    + ").")
    private double lr;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/parallel-wrapper",
            description = "Directory for parallel-wrapper.csv (default: ${DEFAULT-VALUE}).")
    private Path out;

    /** Used by picocli. */
    public ParallelWrapperCommand() {
    }

    /**
     * Trains every combination, prints the final values per configuration and writes the results.
     *
     * @return 0 on success
     * @throws Exception if data cannot be read, training fails or the results cannot be written (after the table
     *                   is printed; the message names the file and its cause)
     */
    @Override
    public Integer call() throws Exception {
        validate();
        checkOut(out);
        DataSet train = FashionMnist.loadDirOrSample(dataDir, true, limitTrain);
        DataSet test = FashionMnist.loadDirOrSample(dataDir, false, 0);
        int largest = workers.stream().max(Integer::compare).orElseThrow();
        if (train.numExamples() < largest) {
            throw invalid("--workers", largest, "the training set has " + train.numExamples() + " images and every "
                    + "worker needs at least one");
        }
        // Rows are kept in memory and written at the end, after the table: a failed write (or a failed
        // configuration) must not take the finished epochs with it.
        List<List<Object>> rows = new ArrayList<>();
        for (int w : workers) {
            for (int a : averaging) {
                for (Granularity g : granularities) {
                    for (long seed : seeds) {
                        List<Run> runs = new ArrayList<>();
                        for (OrderingConfig.Kind order : orders) {
                            if (!order.needsGradients()) {
                                runs.add(new Run(train, order.id(), w, a, g, seed, "-"));
                                continue;
                            }
                            for (String observer : observers) {
                                runs.add(new Run(train, order.id(), w, a, g, seed, observer));
                            }
                        }
                        try {
                            // The orderings take turns epoch by epoch, the first one rotating, so that their
                            // epoch times are measured side by side under the same machine load.
                            for (int e = 1; e <= epochs; e++) {
                                for (int i = 0; i < runs.size(); i++) {
                                    rows.add(runs.get((i + e - 1) % runs.size()).epoch(train, test, e));
                                }
                            }
                        } finally {
                            for (Run r : runs) {
                                r.close();
                            }
                        }
                    }
                }
            }
        }
        printTable(rows);
        printTimeToDrrFinal(rows);
        ResultFiles files = new ResultFiles(out);
        files.write(CSV, file -> {
            try (CSVPrinter csv = CsvFiles.create(file, COLUMNS)) {
                csv.printRecords(rows);
            }
        });
        files.finish(err(), "the final train loss, test accuracy and seconds per epoch of every configuration "
                + "(means over the seeds); the values of every epoch and seed are in " + CSV + " only");
        return 0;
    }

    /** Checks every option, before any data is loaded. */
    private void validate() {
        checkRange("--epochs", epochs, 1, MAX_EPOCHS);
        checkRange("--batch", batch, 1, MAX_BATCH);
        checkLearningRate(lr);
        for (int w : workers) {
            checkRange("--workers", w, 1, MAX_WORKERS);
        }
        checkDistinct("--workers", workers, String::valueOf);
        for (int a : averaging) {
            checkRange("--averaging", a, 1, MAX_AVERAGING);
        }
        checkDistinct("--averaging", averaging, String::valueOf);
        for (Granularity g : granularities) {
            if (g == Granularity.EXAMPLE_EXACT) {
                throw invalid("--granularities", g.id(), "the drop-in iterator orders batch or example-last-layer "
                        + "units");
            }
        }
        checkDistinct("--granularities", granularities, Granularity::id);
        checkDistinct("--orders", orders, OrderingConfig.Kind::id);
        for (String o : observers) {
            if (!o.equals("thread") && !o.equals("workers")) {
                throw invalid("--observers", o, "valid: thread, workers");
            }
        }
        checkDistinct("--observers", observers, o -> o);
        if (seeds.size() > TrainingOptions.MAX_SEEDS) {
            throw invalid("--seeds", seeds.size() + " seeds", "give 1.." + TrainingOptions.MAX_SEEDS);
        }
        checkDistinct("--seeds", seeds, String::valueOf);
        int largest = workers.stream().max(Integer::compare).orElseThrow();
        if (limitTrain < 0 || (limitTrain > 0 && limitTrain < largest)) {
            throw invalid("--limit-train", limitTrain, "valid: 0 (all) or at least the largest --workers, "
                    + largest + ", as every worker needs an image; at most " + Integer.MAX_VALUE);
        }
    }

    /** Final epoch per configuration, means over seeds, in the order the configurations ran. */
    private void printTable(List<List<Object>> rows) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (List<Object> r : rows) {
            // Columns: order, workers, averaging, granularity, seed, epoch, train_loss, test_accuracy, seconds, observer
            String key = r.get(1) + "\t" + r.get(2) + "\t" + r.get(3) + "\t" + r.get(0) + "\t" + r.get(9);
            double[] s = sums.computeIfAbsent(key, k -> new double[5]);
            s[2] += Double.parseDouble((String) r.get(8));
            s[3]++;
            if ((int) r.get(5) == epochs) {
                s[0] += Double.parseDouble((String) r.get(6));
                s[1] += Double.parseDouble((String) r.get(7));
                s[4]++;
            }
        }
        TextTable t = new TextTable("workers", "averaging", "granularity", "order", "observer", "train loss",
                "test accuracy", "s/epoch");
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            String[] k = e.getKey().split("\t");
            double[] s = e.getValue();
            t.row(k[0], k[1], k[2], k[3], k[4], Decimals.fixed(s[0] / s[4], 6), Decimals.fixed(s[1] / s[4], 6),
                    Decimals.fixed(s[2] / s[3], 3));
        }
        out().println("after epoch " + epochs + " (" + (seeds.size() == 1 ? "seed " + seeds.get(0)
                : "mean over seeds " + RunReport.join(seeds)) + "; train loss over the whole training set):");
        t.print(out());
        out().flush();
    }

    /**
     * Per configuration (workers, averaging, granularity) with d-rr, the line {@code time-to-drr-final workers=W
     * averaging=A granularity=G <order>=<fraction> ...} of the training commands
     * ({@link RunReport#timeToDrrFinal}); an ordering observed both ways is named {@code <order>(<observer>)}.
     * There is no epoch 0 here (the initial model is not evaluated), so the first candidate is epoch 1.
     */
    private void printTimeToDrrFinal(List<List<Object>> rows) {
        Map<String, List<MetricsRow>> byConfig = new LinkedHashMap<>();
        for (List<Object> r : rows) {
            String observer = (String) r.get(9);
            String name = r.get(0) + (observer.equals("-") || observers.size() == 1 ? "" : "(" + observer + ")");
            byConfig.computeIfAbsent("workers=" + r.get(1) + " averaging=" + r.get(2) + " granularity=" + r.get(3),
                    k -> new ArrayList<>()).add(new MetricsRow(name, (long) r.get(4), (int) r.get(5),
                    Double.parseDouble((String) r.get(6)), Double.NaN, Double.parseDouble((String) r.get(7)),
                    Double.parseDouble((String) r.get(8)), Double.NaN, Double.parseDouble((String) r.get(11)),
                    Double.NaN));
        }
        for (Map.Entry<String, List<MetricsRow>> e : byConfig.entrySet()) {
            String line = RunReport.timeToDrrFinal(new MetricsSummary(e.getValue()));
            if (line != null) {
                out().println(RunReport.TIME_TO_DRR_FINAL + " " + e.getKey()
                        + line.substring(RunReport.TIME_TO_DRR_FINAL.length()));
            }
        }
        out().flush();
    }

    /** One ordering's model, iterator and ParallelWrapper, trained an epoch at a time. */
    private final class Run implements AutoCloseable {
        private final String order;
        private final int w;
        private final int a;
        private final Granularity g;
        private final long seed;
        private final String observer;
        private final MultiLayerNetwork net;
        private final OrderedDataSetIterator ordered;
        private final ParallelWrapper wrapper;
        /** Training seconds of the epochs so far. */
        private double cumulative;

        Run(DataSet train, String order, int w, int a, Granularity g, long seed, String observer) {
            this.order = order;
            this.w = w;
            this.a = a;
            this.g = g;
            this.seed = seed;
            this.observer = observer;
            this.net = Models.mlp(784, 128, 10, new Sgd(lr), seed);
            this.ordered = OrderedDataSetIterator.builder()
                    .setSource(new ListDataSetIterator<>(train.asList(), batch)).setModel(net)
                    .optOrdering(OrderingConfig.of(order, seed)).optGranularity(g).optParallelWrapper(w)
                    .optObserverThread(observer.equals("thread")).build();
            this.wrapper = new ParallelWrapper.Builder<>(net).workers(w).averagingFrequency(a).prefetchBuffer(0).build();
        }

        List<Object> epoch(DataSet train, DataSet test, int e) {
            double inListener = ordered.listenerSeconds();
            long t0 = System.nanoTime();
            wrapper.fit(ordered);
            // The epoch includes the observer thread's last observations: ordering() waits for them.
            ordered.ordering();
            double seconds = (System.nanoTime() - t0) / 1e9;
            cumulative += seconds;
            inListener = ordered.listenerSeconds() - inListener;
            double loss = net.score(train);
            double acc = net.evaluate(new ListDataSetIterator<>(test.asList(), 500)).accuracy();
            err().printf("%s w=%d a=%d %s seed %d epoch %d: loss %.4f acc %.4f %.2f s%n", order, w, a, g.id(), seed, e,
                    loss, acc, seconds);
            err().flush();
            return List.of(order, w, a, g.id(), seed, e, Decimals.fixed(loss, 6), Decimals.fixed(acc, 6),
                    Decimals.fixed(seconds, 4), observer, Decimals.fixed(inListener, 4), Decimals.fixed(cumulative, 4));
        }

        @Override
        public void close() throws Exception {
            wrapper.close();
            ordered.close();
        }
    }

}
