package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.gradient.UnitDimension;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.dgrab.lab.bench.HandOffFloor;
import org.dgrab.lab.bench.OffloadFloor;
import org.dgrab.lab.bench.PairCopyFloor;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.dgrab.lab.report.ResultFiles;
import org.dgrab.lab.report.TextTable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgrab cost}: what gradient-based ordering costs in training time. For each granularity it trains the same
 * model on the same Fashion-MNIST examples with a gradient-free ordering (the baseline, D-RR by default) and with
 * CD-GraB, alternating the two within one process so that machine drift hits both alike, and reports the median
 * and fastest epoch time of each, the overhead in percent (the summary line uses the fastest epochs, which are least
 * disturbed by other processes), the share of time spent inside the ordering and the messages and bytes the
 * coordinator exchanged.
 *
 * <p>With {@code --floors} it also measures, for batch units, three decorators of the baseline that do part of a pair
 * ordering's work: {@link PairCopyFloor} (keep each pair's first gradient, synchronously), {@link OffloadFloor} (a
 * pair's balancing arithmetic on a background thread) and {@link HandOffFloor} (the trainer's asynchronous path
 * with no ordering work).
 *
 * <p>Besides wall time, every epoch's CPU time is recorded: of the training thread (what the epoch would take with a
 * core to itself) and of the whole process (which adds the ordering thread: the total work ordering costs). On a
 * shared machine these say more than the wall time, which mostly says how busy the other processes were.
 *
 * <p>With {@code --compare-to} it runs this build's and another build's cost command side by side instead
 * ({@link CostComparisonRun}).
 *
 * <p>The first epoch of every run is a warm-up (JIT, native allocations) and is excluded from the medians.
 * Writes {@code cost.csv}; the last stdout line is {@code cost <granularity>=<overhead %> ...}.
 */
// picocli formats descriptions with String.format: a literal percent sign is written %%.
@Command(name = "cost",
        sortOptions = false,
        description = {
                "Epoch time of CD-GraB against a gradient-free baseline (D-RR), per granularity, on Fashion-MNIST.",
                "",
                "Writes DIR/cost.csv (granularity,order,repeat,epoch,epoch_seconds,ordering_seconds,messages,bytes,"
                        + "train_thread_cpu_seconds,process_cpu_seconds) and "
                        + "ends with: cost <granularity>=<overhead %%> ...",
                ""},
        footerHeading = "%nExample:%n",
        footer = "  ./dgrab cost --model lenet --workers 4 --limit-train 4096 --out runs/cost")
public final class CostCommand extends DgrabCommand {
    /** Name of the results file. */
    static final String CSV = "cost.csv";
    private static final String FLOOR = "-floor";
    private static final String PAIR_COPY_FLOOR = "pair-copy" + FLOOR;
    private static final String OFFLOAD_FLOOR = "offload" + FLOOR;
    private static final String HAND_OFF_FLOOR = "hand-off" + FLOOR;
    /** CD-GraB with its ordering on the training thread, measured beside the asynchronous default (--also-sync). */
    static final String SYNC = OrderingConfig.Kind.CD_GRAB.id() + "-sync";

    @Option(names = "--model", paramLabel = "M", defaultValue = "mlp", description = "lenet or mlp (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "256", description = "Hidden units of the MLP (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Workers n (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Mini-batch per worker (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--microbatch", paramLabel = "K", defaultValue = "1",
            description = "Examples per unit for example-exact (default: ${DEFAULT-VALUE}).")
    private int microbatch;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3",
            description = "Epochs per run; the first is a warm-up (default: ${DEFAULT-VALUE}; valid: 2..1000).")
    private int epochs;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "2",
            description = "Runs per (granularity, order), interleaved (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--granularities", paramLabel = "LIST", split = ",",
            defaultValue = "batch,example-last-layer,example-exact",
            description = "Granularities to measure (default: ${DEFAULT-VALUE}).")
    private List<String> granularities;

    @Option(names = "--baseline", paramLabel = "ORDER", defaultValue = "d-rr",
            description = "Gradient-free ordering to compare against (default: ${DEFAULT-VALUE}).")
    private String baseline;

    @Option(names = "--floors",
            description = "Also measure three cost floors for batch units, all with the baseline's orders: "
                    + "pair-copy-floor (keeps the first gradient of every pair on the training thread, the least a "
                    + "synchronous pair ordering does), offload-floor (a pair's balancing arithmetic on a background "
                    + "thread, nothing copied) and hand-off-floor (the trainer's asynchronous path with an ordering that "
                    + "ignores the gradients).")
    private boolean floors;

    @Option(names = "--sync-ordering",
            description = "CD-GraB reads batch-unit gradients on the training thread instead of its own thread "
                    + "(DataParallelTrainer.Builder.optAsyncOrdering(false)), to measure what the asynchronous path saves.")
    private boolean syncOrdering;

    @Option(names = "--also-sync",
            description = "Also measure CD-GraB with its ordering on the training thread (as cd-grab-sync, batch and "
                    + "example-last-layer units) in the same rotation as the asynchronous default, so that the two "
                    + "paths are compared in one JVM, repeat by repeat.")
    private boolean alsoSync;

    @Option(names = "--sketch", paramLabel = "K", defaultValue = "0",
            description = "CD-GraB balances (and its workers send) count-sketches of K values instead of whole "
                    + "gradients; 0 = no sketch (default: ${DEFAULT-VALUE}).")
    private int sketch;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "4096",
            description = "Training examples used (default: ${DEFAULT-VALUE}).")
    private int limitTrain;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.05", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist if present, else the "
                    + "bundled 3000-image sample).")
    private Path dataDir;

    @Option(names = "--compare-to", paramLabel = "DIR_OR_JAR",
            description = "Also run another dgrab build's cost command with the same options, alternating runs of "
                    + "this build and that one (--rounds each), and print both builds' overheads and their ratio. "
                    + "DIR: a checkout built with 'mvn package' (not install); JAR: a jar, with the classpath.txt "
                    + "beside it if it is not self-contained. Runs go to OUT/this-R and OUT/other-R; the summary to "
                    + "OUT/compare.csv and the machine's load to OUT/load.txt.")
    private Path compareTo;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "With --compare-to: rounds, each one run of both builds, the first alternating "
                    + "(default: ${DEFAULT-VALUE}).")
    private int rounds;

    @picocli.CommandLine.Mixin
    private RunOptions run;

    /** Used by picocli. */
    public CostCommand() {
    }

    @Override
    public Integer call() throws IOException {
        if (!model.equals("lenet") && !model.equals("mlp")) {
            throw invalid("--model", model, "valid: lenet, mlp");
        }
        checkRange("--workers", workers, 1, 1024);
        checkRange("--batch", batch, 1, 1 << 16);
        checkRange("--epochs", epochs, 2, 1000);
        checkRange("--repeats", repeats, 1, 100);
        checkRange("--limit-train", limitTrain, workers, 60000);
        checkRange("--hidden", hidden, 1, 1 << 16);
        checkRange("--sketch", sketch, 0, Integer.MAX_VALUE);
        checkLearningRate(lr);
        List<Granularity> gs = new ArrayList<>();
        for (String g : granularities) {
            try {
                gs.add(Granularity.parse(g));
            } catch (IllegalArgumentException e) {
                throw invalid("--granularities", g, e.getMessage());
            }
        }
        checkDistinct("--granularities", gs, Granularity::id);
        OrderingConfig.Kind base;
        try {
            base = OrderingConfig.Kind.parse(baseline);
        } catch (IllegalArgumentException e) {
            throw invalid("--baseline", baseline, e.getMessage());
        }
        if (base.needsGradients()) {
            throw invalid("--baseline", baseline, "the baseline must not use gradients: d-rr, shuffle-once or fixed");
        }
        checkRange("--rounds", rounds, 1, 100);
        if (alsoSync && syncOrdering) {
            throw invalid("--also-sync", "true", "not with --sync-ordering, which already puts every CD-GraB run's "
                    + "ordering on the training thread");
        }
        if (compareTo != null) {
            CostComparison.Build other;
            try {
                other = CostComparison.buildOf(compareTo);
            } catch (IllegalArgumentException e) {
                throw invalid("--compare-to", compareTo, e.getMessage());
            }
            Path outDir = run.outDir();
            checkOut(outDir);
            return new CostComparisonRun(out(), err(), outDir, base.id(), OrderingConfig.Kind.CD_GRAB.id())
                    .run(costArguments(), other, rounds);
        }
        if (sketch > 0) {
            // Refused now rather than when the first CD-GraB trainer is built, after the baseline's epochs.
            MultiLayerNetwork probe = newModel();
            for (Granularity g : gs) {
                long d = UnitDimension.of(g, probe);
                if (sketch > d) {
                    throw invalid("--sketch", sketch, "valid: at most " + d + ", the length of one " + g.id()
                            + " unit's gradient for " + model);
                }
            }
        }
        Path outDir = run.outDir();
        checkOut(outDir);
        DataSet train;
        String source;
        if (dataDir == null && !FashionMnist.missing(FashionMnist.DEFAULT_DIR).isEmpty()) {
            train = FashionMnist.loadSample(true, limitTrain);
            source = "the bundled sample";
        } else {
            Path dir = dataDir != null ? dataDir : FashionMnist.DEFAULT_DIR;
            train = FashionMnist.load(dir, true, limitTrain);
            source = dir.toString();
        }
        String cdGrab = OrderingConfig.Kind.CD_GRAB.id();
        out().printf(Locale.ROOT, "cost: %s on %d Fashion-MNIST examples (%s), %d workers x batch %d, %d epochs (first is "
                + "warm-up), %d repeats, %s vs %s%s%s%n", model, train.numExamples(), source, workers, batch, epochs, repeats,
                base.id(), cdGrab + (syncOrdering ? " (ordering on the training thread)" : ""),
                sketch > 0 ? " (sketched to " + sketch + " values)" : "",
                floors ? " and, for batch units, " + PAIR_COPY_FLOOR + ", " + OFFLOAD_FLOOR + " and " + HAND_OFF_FLOOR : "");
        if (alsoSync) {
            out().println("cost: also " + SYNC + ": CD-GraB with its ordering on the training thread, in the same rotation");
        }
        out().flush();

        CostMeasurements measured = new CostMeasurements();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Granularity g : gs) {
            total += (long) repeats * orders(base, g).size() * epochs;
        }
        try (Progress progress = progress("cost", total)) {
            for (Granularity g : gs) {
                List<String> orders = orders(base, g);
                for (int r = 0; r < repeats; r++) {
                    // Rotate which ordering runs first: the first run of a round pays for the garbage (and freed
                    // native memory) of the run before it, which otherwise biases the comparison.
                    List<String> sequence = new ArrayList<>(orders);
                    java.util.Collections.rotate(sequence, -(r % orders.size()));
                    for (String order : sequence) {
                        System.gc();
                        MultiLayerNetwork net = newModel();
                        DataParallelTrainer.Builder b = DataParallelTrainer.builder().setModel(net).setData(train)
                                .setOrdering(ordering(trainedOrder(order, base))).optWorkers(workers)
                                .optBatchSize(batch).optGranularity(g).optAsyncOrdering(!syncOrdering);
                        if (order.equals(SYNC)) {
                            b.optAsyncOrdering(false);
                        } else if (order.equals(PAIR_COPY_FLOOR)) {
                            // Synchronous: the copy is on the training thread, which is what this floor measures.
                            b.optDecorator(PairCopyFloor::new).optAsyncOrdering(false);
                        } else if (order.equals(OFFLOAD_FLOOR)) {
                            // Its own background thread is the whole point; the trainer's would add its machinery.
                            b.optDecorator(OffloadFloor::new).optAsyncOrdering(false);
                        } else if (order.equals(HAND_OFF_FLOOR)) {
                            b.optDecorator(HandOffFloor::new).optAsyncOrdering(true);
                        }
                        if (g == Granularity.EXAMPLE_EXACT) {
                            b.optMicrobatch(microbatch);
                        }
                        try (DataParallelTrainer t = b.build()) {
                            for (int e = 0; e < epochs; e++) {
                                long thread0 = threads.getCurrentThreadCpuTime();
                                long process0 = processCpuNanos();
                                EpochStats s = t.fitEpoch();
                                double threadCpu = (threads.getCurrentThreadCpuTime() - thread0) / 1e9;
                                double processCpu = (processCpuNanos() - process0) / 1e9;
                                measured.add(g, order, r, e, s, threadCpu, processCpu);
                                progress.step(String.format(Locale.ROOT, "%s %s run %d epoch %d: %.2f s", g.id(), order, r, e,
                                        s.seconds()));
                            }
                        }
                    }
                }
            }
        }

        TextTable table = new TextTable("granularity", "order", base.id() + " s/epoch (median, min)",
                "s/epoch (median, min)", "overhead (median, min)", "CPU overhead: training thread, process (median)",
                "ordering share", "messages/epoch", "MB/epoch");
        StringBuilder last = new StringBuilder("cost");
        for (Granularity g : gs) {
            measured.report(g, base.id(), orders(base, g), cdGrab, table, last);
        }
        // Results first: a file that cannot be written must not cost the results on screen.
        table.print(out());
        out().println(last);
        out().flush();
        ResultFiles files = new ResultFiles(outDir);
        files.write(CSV, measured::writeCsv);
        files.finish(err(), "the table of epoch times, overheads and messages per granularity and the summary line; "
                + "the time of every epoch is in " + CSV + " only");
        return 0;
    }

    /** @return the arguments given after {@code cost} on the command line, as typed */
    private List<String> costArguments() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return all.subList(at + 1, all.size());
    }

    /** @return the initial network of every run (the same for a seed) */
    private MultiLayerNetwork newModel() {
        return model.equals("lenet") ? Models.lenet(1, 28, 28, FashionMnist.CLASSES, new Sgd(lr), run.seed())
                : Models.mlp(784, hidden, FashionMnist.CLASSES, new Sgd(lr), run.seed());
    }

    /** @return the orderings measured for one granularity, the baseline first */
    private List<String> orders(OrderingConfig.Kind base, Granularity g) {
        List<String> o = new ArrayList<>(List.of(base.id(), OrderingConfig.Kind.CD_GRAB.id()));
        if (alsoSync && g != Granularity.EXAMPLE_EXACT) {
            // Example-exact units order on the training thread either way.
            o.add(SYNC);
        }
        if (floors && g == Granularity.BATCH) {
            o.add(PAIR_COPY_FLOOR);
            o.add(OFFLOAD_FLOOR);
            o.add(HAND_OFF_FLOOR);
        }
        return o;
    }

    /** @return the ordering a measured run trains with: the floors the baseline's, cd-grab-sync CD-GraB's */
    private static String trainedOrder(String order, OrderingConfig.Kind base) {
        if (order.endsWith(FLOOR)) {
            return base.id();
        }
        return order.equals(SYNC) ? OrderingConfig.Kind.CD_GRAB.id() : order;
    }

    private OrderingConfig ordering(String order) {
        OrderingConfig.Builder b = OrderingConfig.builder(OrderingConfig.Kind.parse(order)).optSeed(run.seed());
        if (sketch > 0 && b.build().kind().needsGradients()) {
            b.optSketchDim(sketch);
        }
        return b.build();
    }

    /** @return CPU time of the whole JVM so far, or -1 where the platform does not tell */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }
}
