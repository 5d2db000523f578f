package org.dgrab.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.examples.data.FashionMnist;
import org.dgrab.examples.models.Models;
import org.dgrab.examples.report.AtomicOutput;
import org.dgrab.examples.report.CsvFiles;
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
        description = {"CD-GraB vs D-RR inside DL4J's ParallelWrapper: final train loss and epoch time.", ""},
        footerHeading = "%nExample:%n",
        footer = "  ./dgrab parallel-wrapper --workers 2,4 --averaging 1,5 --seeds 0,1,2 --epochs 10")
public final class ParallelWrapperCommand extends DgrabCommand {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the four Fashion-MNIST IDX files; default: the sample bundled for the demo.")
    private Path dataDir;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "With --data-dir: the first N training images (default: all).")
    private int limitTrain;

    @Option(names = "--workers", split = ",", defaultValue = "2,4", paramLabel = "LIST",
            description = "ParallelWrapper workers (default: ${DEFAULT-VALUE}).")
    private List<Integer> workers;

    @Option(names = "--averaging", split = ",", defaultValue = "1,5", paramLabel = "LIST",
            description = "Averaging frequencies (default: ${DEFAULT-VALUE}).")
    private List<Integer> averaging;

    @Option(names = "--granularities", split = ",", defaultValue = "batch,example-last-layer", paramLabel = "LIST",
            description = "Units (default: ${DEFAULT-VALUE}).")
    private List<String> granularities;

    @Option(names = "--orders", split = ",", defaultValue = "cd-grab,d-rr", paramLabel = "LIST",
            description = "Orderings (default: ${DEFAULT-VALUE}).")
    private List<String> orders;

    @Option(names = "--observers", split = ",", defaultValue = "workers", paramLabel = "LIST",
            description = "Where orderings that use gradients observe them: workers (on the training threads, the "
                    + "library's default) or thread (dgrab's observer thread, optObserverThread); each value is a run "
                    + "of its own (default: ${DEFAULT-VALUE}).")
    private List<String> observers;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "LIST",
            description = "Seeds of the initial weights and the orderings (default: ${DEFAULT-VALUE}).")
    private List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "B",
            description = "Examples per worker batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "LR", description = "SGD step (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/parallel-wrapper",
            description = "Directory for parallel-wrapper.csv (default: ${DEFAULT-VALUE}).")
    private Path out;

    /** Used by picocli. */
    public ParallelWrapperCommand() {
    }

    /**
     * Trains every combination and writes the results.
     *
     * @return 0 on success
     * @throws Exception if data cannot be read, training fails or the results cannot be written
     */
    @Override
    public Integer call() throws Exception {
        checkRange("--epochs", epochs, 1, 1000);
        checkRange("--batch", batch, 1, 1 << 20);
        for (int w : workers) {
            checkRange("--workers", w, 1, 64);
        }
        for (int a : averaging) {
            checkRange("--averaging", a, 1, 1000);
        }
        for (String g : granularities) {
            Granularity parsed;
            try {
                parsed = Granularity.parse(g);
            } catch (IllegalArgumentException e) {
                throw invalid("--granularities", g, e.getMessage());
            }
            if (parsed == Granularity.EXAMPLE_EXACT) {
                throw invalid("--granularities", g, "the drop-in iterator orders batch or example-last-layer units");
            }
        }
        for (String o : observers) {
            if (!o.equals("thread") && !o.equals("workers")) {
                throw invalid("--observers", o, "valid: thread, workers");
            }
        }
        checkOut(out);
        AtomicOutput.probe(out);
        DataSet train = dataDir == null ? FashionMnist.loadSample(true, 0) : FashionMnist.load(dataDir, true, limitTrain);
        DataSet test = dataDir == null ? FashionMnist.loadSample(false, 0) : FashionMnist.load(dataDir, false, 0);
        try (AtomicOutput files = new AtomicOutput(out)) {
            try (CSVPrinter csv = CsvFiles.create(files.create("parallel-wrapper.csv"), "order", "workers", "averaging",
                    "granularity", "seed", "epoch", "train_loss", "test_accuracy", "epoch_seconds", "observer", "listener_seconds")) {
                for (int w : workers) {
                    for (int a : averaging) {
                        for (String g : granularities) {
                            for (long seed : seeds) {
                                List<Run> runs = new ArrayList<>();
                                for (String order : orders) {
                                    if (!OrderingConfig.Kind.parse(order).needsGradients()) {
                                        runs.add(new Run(train, order, w, a, Granularity.parse(g), seed, "-"));
                                        continue;
                                    }
                                    for (String observer : observers) {
                                        runs.add(new Run(train, order, w, a, Granularity.parse(g), seed, observer));
                                    }
                                }
                                try {
                                    // The orderings take turns epoch by epoch, the first one rotating, so that
                                    // their epoch times are measured side by side under the same machine load.
                                    for (int e = 1; e <= epochs; e++) {
                                        for (int i = 0; i < runs.size(); i++) {
                                            runs.get((i + e - 1) % runs.size()).epoch(csv, train, test, e);
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
            }
            files.commit();
        }
        out().println("wrote " + out.resolve("parallel-wrapper.csv"));
        return 0;
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

        void epoch(CSVPrinter csv, DataSet train, DataSet test, int e) throws IOException {
            double inListener = ordered.listenerSeconds();
            long t0 = System.nanoTime();
            wrapper.fit(ordered);
            // The epoch includes the observer thread's last observations: ordering() waits for them.
            ordered.ordering();
            double seconds = (System.nanoTime() - t0) / 1e9;
            inListener = ordered.listenerSeconds() - inListener;
            double loss = net.score(train);
            double acc = net.evaluate(new ListDataSetIterator<>(test.asList(), 500)).accuracy();
            csv.printRecord(order, w, a, g.id(), seed, e, fmt(loss), fmt(acc), String.format(Locale.ROOT, "%.4f", seconds),
                    observer, String.format(Locale.ROOT, "%.4f", inListener));
            err().printf("%s w=%d a=%d %s seed %d epoch %d: loss %.4f acc %.4f %.2f s%n", order, w, a, g.id(), seed, e,
                    loss, acc, seconds);
            err().flush();
        }

        @Override
        public void close() throws Exception {
            wrapper.close();
            ordered.close();
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
