package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.gradient.UnitDimension;
import org.dgrab.lab.data.MissingDataException;
import org.dgrab.lab.experiment.Evaluator;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.experiment.RunTrainer;
import org.dgrab.lab.experiment.TrainingExperiment;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.ResultFiles;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pipeline shared by the model-training commands ({@code cifar10}, {@code fashion-mnist}, {@code demo},
 * {@code lm}, {@code logreg}), which use it by composition: each command mixes in {@link OrderOptions} and
 * {@link TrainingOptions}, and hands this class its data, model and metric as a {@link Task}.
 *
 * <p>For every seed and every ordering of {@code --orders} it builds the network from the seed (so all orderings of
 * a seed start from the same weights and shards) and trains it with an {@link RunEngine}: by default
 * {@link org.dgrab.dl4j.trainer.DataParallelTrainer} through {@link TrainingExperiment} ({@code dgrab spark}: DL4J's
 * Spark training), evaluating after every epoch with the task's {@link Evaluator}. Then it prints the train-loss and test-metric tables (means over seeds) and
 * the line {@code summary <order>=<final train loss> ...} and after it, when {@code d-rr} ran, the line
 * {@code time-to-drr-final <order>=<fraction> ...} ({@link #timeToDrrFinal}), the last on stdout, and only then writes
 * {@code metrics.csv} and {@code metrics.png}, each on its own ({@link ResultFiles}): a file that fails is named
 * with its cause, after the others are written. Missing data ends it with exit code 1 and a message saying where
 * to put the files, before anything is written; invalid options (including a granularity the model does not
 * support) with exit code 2.
 *
 * <p>Call order: construct in the command's {@code call()}, then {@link #run} once.
 */
final class TrainingRun {

    /** Name of the metrics file. */
    static final String CSV = "metrics.csv";
    /** Name of the chart. */
    static final String PNG = "metrics.png";
    /** Share of the heap that one epoch of gradients kept for {@code --herding-bound} may take. */
    private static final double HERDING_HEAP_SHARE = 0.4;
    /** The columns of {@code metrics.csv}, for the commands' help (a constant, as annotations need one). */
    static final String CSV_COLUMNS = "order,seed,epoch,train_loss,test_loss,test_metric,epoch_seconds,"
            + "ordering_seconds,cumulative_seconds,herding_bound";
    /** The line after the summary line, for the commands' help. */
    static final String TIME_LINE_HELP = "then, when d-rr ran, as the last line: time-to-drr-final <order>=<training "
            + "time to d-rr's final train loss, as a fraction of d-rr's total> ... (none: not reached)";

    private final DgrabCommand cmd;
    private final OrderOptions orders;
    private final TrainingOptions training;

    /**
     * @param cmd      the command being run (its writers, name and option errors)
     * @param orders   its {@code --orders}
     * @param training its training options
     */
    TrainingRun(DgrabCommand cmd, OrderOptions orders, TrainingOptions training) {
        this.cmd = cmd;
        this.orders = orders;
        this.training = training;
    }

    /** Loads a command's data and describes its model and metric; runs after the options are validated. */
    @FunctionalInterface
    interface TaskLoader {
        /**
         * @return the task
         * @throws MissingDataException if the data is not there (the message says where to put it); exit code 1
         * @throws IOException          if the data cannot be read
         */
        Task load() throws IOException;
    }

    /**
     * What to train and how to measure it.
     *
     * @param train         training examples in memory (each one ordered unit at example granularity), or null when
     *                      {@code trainers} reads them from elsewhere
     * @param trainExamples number of training examples
     * @param testExamples  number of test examples, for the report (at least 1)
     * @param evaluator     measures train loss, test loss and test metric after every epoch
     * @param modelFactory  builds the initial network of a seed (deterministic in the seed)
     * @param description   model, data and sizes for the report, e.g.
     *                      {@code "LeNet-5 on CIFAR-10 (...): 50000 train / 10000 test images"}
     * @param unit          what an example is, plural, e.g. {@code images}
     * @param trainLossName the train loss in tables and charts, e.g. {@code train loss}
     * @param metricName    the test metric in tables and charts, e.g. {@code test accuracy}
     * @param metricShort   the test metric in progress lines, e.g. {@code test acc}
     * @param trainers      how the in-process engine trains each run; null: {@code DataParallelTrainer} on
     *                      {@code train} ({@link RunTrainer#dataParallel})
     */
    record Task(DataSet train, int trainExamples, int testExamples, Evaluator evaluator,
                LongFunction<MultiLayerNetwork> modelFactory, String description, String unit,
                String trainLossName, String metricName, String metricShort, RunTrainer.Factory trainers) {

        /**
         * A task on in-memory data, trained by {@code DataParallelTrainer}.
         *
         * @param train         training examples
         * @param testExamples  number of test examples (at least 1)
         * @param evaluator     measures the model after every epoch
         * @param modelFactory  builds the initial network of a seed
         * @param description   for the report
         * @param unit          what an example is, plural
         * @param trainLossName the train loss in tables and charts
         * @param metricName    the test metric in tables and charts
         * @param metricShort   the test metric in progress lines
         */
        Task(DataSet train, int testExamples, Evaluator evaluator, LongFunction<MultiLayerNetwork> modelFactory,
             String description, String unit, String trainLossName, String metricName, String metricShort) {
            this(train, train.numExamples(), testExamples, evaluator, modelFactory, description, unit, trainLossName,
                    metricName, metricShort, null);
        }
    }

    /** @return the engine of the training commands: {@code DataParallelTrainer} in this JVM */
    RunEngine inProcess() {
        return new RunEngine() {
            @Override
            public List<MetricsRow> train(Task task, List<String> ids, List<Long> seeds,
                                          TrainingExperiment.Listener listener) {
                return experiment(task, ids, seeds).run(listener);
            }

            @Override
            public boolean measuresHerdingBound() {
                return true;
            }
        };
    }

    private TrainingExperiment experiment(Task task, List<String> ids, List<Long> seeds) {
        return new TrainingExperiment(task.trainers() != null ? task.trainers()
                : RunTrainer.dataParallel(task.train(), training.workers(), training.batch(), training.granularity(), 1,
                        training.herdingBound()),
                task.evaluator(), task.modelFactory(), ids, seeds, training.epochs())
                .optSketchDim(training.sketch());
    }

    /**
     * Runs the experiment in this process.
     *
     * @param validateOwnOptions checks the command's own options (beyond the training options) and throws a
     *                           {@link picocli.CommandLine.ParameterException} for an invalid value; runs before
     *                           any data is loaded
     * @param prepare            loads the data
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read, or a result file cannot be written (after the results are
     *                     printed and the other files written; the message names the file and its cause)
     */
    int run(Runnable validateOwnOptions, TaskLoader prepare) throws IOException {
        return run(validateOwnOptions, prepare, inProcess());
    }

    /**
     * Runs the experiment with an engine.
     *
     * @param validateOwnOptions as for {@link #run(Runnable, TaskLoader)}
     * @param prepare            loads the data
     * @param engine             trains
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read, or a result file cannot be written (after the results are
     *                     printed and the other files written; the message names the file and its cause)
     */
    int run(Runnable validateOwnOptions, TaskLoader prepare, RunEngine engine) throws IOException {
        List<OrderingConfig.Kind> kinds = validate(validateOwnOptions, engine.minSketch());
        Path outDir = training.outDir(cmd.spec.name());
        // Fail now, not after the training, if the results could not be written.
        cmd.checkOut(outDir);
        String name = cmd.spec.qualifiedName();
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
            task = prepare.load();
        } catch (MissingDataException e) {
            cmd.err().println(name + ": " + e.getMessage());
            cmd.err().println(name + ": nothing was written to " + outDir);
            cmd.err().flush();
            return 1;
        }
        int nTrain = task.trainExamples();
        if (task.testExamples() < 1) {
            throw new IOException("the test set is empty");
        }
        if (nTrain < training.workers()) {
            throw cmd.invalid("--workers", training.workers(), "the training set has " + nTrain + " examples"
                    + (training.limitTrain() > 0 ? " (--limit-train " + training.limitTrain() + ")" : "")
                    + " and every worker needs at least one");
        }
        cmd.err().printf(Locale.ROOT, "%s: loaded %d training and %d test %s in %.1f s%n", name, nTrain,
                task.testExamples(), task.unit(), (System.nanoTime() - t0) / 1e9);
        List<Long> seeds = training.seeds();
        checkGranularity(task, seeds.get(0));
        checkHerdingBound(task, engine, seeds.get(0));

        List<String> ids = new ArrayList<>();
        for (OrderingConfig.Kind k : kinds) {
            ids.add(k.id());
        }
        cmd.out().println(describe(task, ids, seeds) + engine.describe());
        cmd.out().flush();

        List<MetricsRow> rows;
        int totalEpochs = ids.size() * seeds.size() * training.epochs();
        PartialMetrics partial = new PartialMetrics(outDir, ids, seeds, cmd.err(), name);
        try (Progress progress = cmd.progress(name, totalEpochs)) {
            rows = engine.train(task, ids, seeds, new TrainingExperiment.Listener() {
                @Override
                public void initialEvaluated(MetricsRow row) {
                    partial.add(row);
                }

                @Override
                public void epochDone(MetricsRow row, int done, int total) {
                    partial.add(row);
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
        List<MetricsRow> sorted = MetricsSummary.sorted(rows, ids, seeds);
        MetricsSummary summary = new MetricsSummary(sorted);

        // Everything is printed before any file is written, so that a failed write loses nothing on screen.
        RunReport.print(cmd.out(), task, summary, seeds);
        cmd.out().flush();

        ResultFiles files = new ResultFiles(outDir);
        files.write(CSV, file -> RunReport.writeCsv(sorted, file));
        engine.writeFiles(files);
        if (!training.noChart()) {
            RunReport.writeChart(files, summary, seeds, task.trainLossName(), task.metricName());
        }
        String what = seeds.size() == 1 ? "seed " + seeds.get(0) : "means over the seeds";
        files.finish(cmd.err(), "the " + task.trainLossName() + " and " + task.metricName() + " tables per epoch ("
                + what + "), the seconds per epoch and the summary line; the test loss" + (seeds.size() == 1 ? ""
                : ", the per-seed values") + " and the epoch times of every epoch are in " + CSV + " only");
        return 0;
    }

    /**
     * Rejects a granularity the model cannot train with, as an invalid option rather than a failure halfway:
     * example-last-layer needs a dense {@code OutputLayer}, which the trainer checks when it is built. The check
     * builds the trainer's gradient source on a throwaway copy of the model, so it gives the trainer's own message.
     */
    /** Refuses, before any training, a granularity the model does not support or a sketch wider than its units. */
    private void checkGranularity(Task task, long seed) {
        MultiLayerNetwork model = task.modelFactory().apply(seed);
        long d;
        try {
            d = UnitDimension.of(training.granularity(), model);
        } catch (IllegalArgumentException e) {
            throw cmd.invalid("--granularity", training.granularity().id(), e.getMessage());
        }
        if (training.sketch() > d) {
            throw cmd.invalid("--sketch", training.sketch(), "valid: at most " + d + ", the length of one "
                    + training.granularity().id() + " unit's gradient for this model");
        }
    }

    /**
     * Refuses {@code --herding-bound} where it cannot be measured (training outside {@code DataParallelTrainer})
     * or where one epoch of unit gradients would not fit in the heap, before any training.
     */
    private void checkHerdingBound(Task task, RunEngine engine, long seed) {
        if (!training.herdingBound()) {
            return;
        }
        if (!engine.measuresHerdingBound() || task.trainers() != null) {
            throw cmd.invalid("--herding-bound", "given", "it is measured in in-memory training with "
                    + "DataParallelTrainer only, not by " + cmd.spec.qualifiedName()
                    + (task.trainers() != null ? " on data read on demand" : ""));
        }
        long d = UnitDimension.of(training.granularity(), task.modelFactory().apply(seed));
        long units = training.granularity() == Granularity.BATCH
                ? (task.trainExamples() + training.batch() - 1) / training.batch() + training.workers()
                : task.trainExamples();
        long bytes = units * d * Double.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && bytes > HERDING_HEAP_SHARE * heap) {
            throw cmd.invalid("--herding-bound", "given", String.format(Locale.ROOT, "one epoch of unit gradients "
                    + "(%d units x %d values) needs %d MiB and the JVM may use %d MiB; use fewer examples "
                    + "(--limit-train), batch units or a larger heap (JAVA_OPTS=-Xmx...)", units, d, bytes >> 20,
                    heap >> 20));
        }
    }

    /**
     * Checks every training option.
     *
     * @return the orderings
     * @throws picocli.CommandLine.ParameterException naming option, value and valid range
     */
    private List<OrderingConfig.Kind> validate(Runnable validateOwnOptions, int minSketch) {
        cmd.checkRange("--workers", training.workers(), 1, TrainingOptions.MAX_WORKERS);
        cmd.checkRange("--epochs", training.epochs(), 1, TrainingOptions.MAX_EPOCHS);
        cmd.checkRange("--batch", training.batch(), 1, TrainingOptions.MAX_BATCH);
        cmd.checkLearningRate(training.lr());
        cmd.checkSeeds(training.seeds());
        cmd.checkRange("--threads", training.threads(), 0, TrainingOptions.MAX_THREADS);
        cmd.checkRange("--sketch", training.sketch(), minSketch, TrainingOptions.MAX_SKETCH);
        checkLimit("--limit-train", training.limitTrain());
        checkLimit("--limit-test", training.limitTest());
        if (training.limitTrain() > 0 && training.limitTrain() < training.workers()) {
            throw cmd.invalid("--limit-train", training.limitTrain(), "valid: 0 (all) or at least --workers = "
                    + training.workers() + ", as every worker needs an example");
        }
        List<OrderingConfig.Kind> kinds = orders.kinds();
        if (kinds.isEmpty()) {
            throw cmd.invalid("--orders", "", "name at least one ordering");
        }
        validateOwnOptions.run();
        return kinds;
    }

    /** A negative limit would otherwise read as "all", which the user cannot have meant. */
    private void checkLimit(String option, int value) {
        if (value < 0) {
            throw cmd.invalid(option, value, "valid: 0 (all) or a positive number of examples, at most "
                    + Integer.MAX_VALUE);
        }
    }

    private String describe(Task task, List<String> ids, List<Long> seeds) {
        return String.format(Locale.ROOT, "%s: %s, %d workers x batch %d, %s lr %s, granularity %s%s, %d epochs, "
                        + "seeds %s, orders %s", cmd.spec.qualifiedName(), task.description(), training.workers(),
                training.batch(), training.optimizer().id(), Decimals.trim(training.lr()), training.granularity().id(),
                training.sketch() > 0 ? ", gradients sketched to " + training.sketch() + " values" : "",
                training.epochs(), RunReport.join(seeds), String.join(",", ids));
    }
}
