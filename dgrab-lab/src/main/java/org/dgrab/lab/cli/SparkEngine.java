package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Sharding;
import org.dgrab.lab.experiment.Evaluator;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.TrainingExperiment;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.ResultFiles;
import org.dgrab.spark.ExportedShards;
import org.dgrab.spark.SparkEpochStats;
import org.dgrab.spark.SparkOrderedTrainer;
import org.dgrab.spark.SparkTrainerBuilder;

/**
 * The {@link RunEngine} of {@code dgrab spark}: every (seed, ordering) trained with
 * {@link SparkOrderedTrainer} on one Spark context (started in {@link #train}, stopped at its end), one model per
 * seed cloned for every ordering, and the per-epoch Spark statistics written as {@code spark.csv}. With an export
 * folder the training set is first written there as {@code DataSet} files, one folder per worker, and every trainer
 * trains from their paths (the executors load the files; no data passes through the driver while training).
 *
 * <p>Call order: {@link #train} once, then {@link #writeFiles}.
 */
final class SparkEngine implements RunEngine {
    /** Name of the Spark statistics file. */
    static final String CSV = "spark.csv";
    private static final String[] COLUMNS = {"order", "seed", "epoch", "jobs", "reports", "report_bytes",
            "order_bytes", "duplicates", "fallback_workers", "epoch_seconds", "ordering_seconds"};

    private final String master;
    private final int averagingFrequency;
    private final TrainingOptions training;
    /** Where to export the training set as DataSet files to train from their paths; null to train from memory. */
    private final Path export;
    private final List<Object[]> sparkRows = new ArrayList<>();
    private int epochsDone;

    /**
     * @param master             Spark master, or null for spark-submit's (else local[workers])
     * @param averagingFrequency steps per worker between parameter averagings
     * @param training           the training options (validated)
     * @param export             folder to export the training set to, as DataSet files, and train from their paths;
     *                           null to hand the data to the trainer in memory
     */
    SparkEngine(String master, int averagingFrequency, TrainingOptions training, Path export) {
        this.master = master;
        this.averagingFrequency = averagingFrequency;
        this.training = training;
        this.export = export;
    }

    @Override
    public int minSketch() {
        return SparkTrainerBuilder.AUTO_SKETCH;
    }

    @Override
    public String describe() {
        return ", on Spark with averaging frequency " + averagingFrequency
                + (training.sketch() < 0 ? ", sketch auto (reports <= 1 % of a gradient)" : "")
                + (export != null ? ", from DataSet files exported to " + export : "");
    }

    @Override
    public List<MetricsRow> train(TrainingRun.Task task, List<String> orders, List<Long> seeds,
                                  TrainingExperiment.Listener listener) throws IOException {
        List<List<String>> files = null;
        if (export != null) {
            requireFullBatches(task.train().numExamples());
            // Once for every seed and ordering: the files depend only on the data, the workers and the batch size.
            files = ExportedShards.export(new ExistingDataSetIterator(List.of(task.train())), export,
                    training.workers(), training.batch());
        }
        SparkConf conf = new SparkConf().setAppName("dgrab spark");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + training.workers() + "]");
        }
        List<MetricsRow> rows = new ArrayList<>();
        int total = orders.size() * seeds.size() * training.epochs();
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            for (long seed : seeds) {
                MultiLayerNetwork initial = task.modelFactory().apply(seed);
                for (String id : orders) {
                    train(sc, task, files, initial.clone(), OrderingConfig.Kind.parse(id), seed, rows, listener, total);
                }
            }
        } finally {
            // Spark 3.5 leaves a non-daemon thread behind; Main exits explicitly after the command.
            sc.stop();
        }
        return rows;
    }

    /**
     * Refuses, before anything is written, an export that training with {@code W > 1} would refuse file by file in
     * the middle of an epoch: a shard whose last file is a short batch (the in-memory path refuses it when built).
     */
    private void requireFullBatches(int examples) {
        if (averagingFrequency == 1) {
            return;
        }
        for (int[] shard : Sharding.CONTIGUOUS.split(examples, training.workers(), 0)) {
            if (shard.length % training.batch() != 0) {
                throw new IllegalArgumentException("--averaging-frequency " + averagingFrequency + " needs full "
                        + "batches of " + training.batch() + " in every exported file, but " + examples
                        + " examples over " + training.workers() + " workers leave a shard of " + shard.length
                        + ": use --averaging-frequency 1 or a --limit-train that fills the batches");
            }
        }
    }

    /** @param files per worker, its exported files; null to train from the task's data in memory */
    private void train(JavaSparkContext sc, TrainingRun.Task task, List<List<String>> files, MultiLayerNetwork net,
                       OrderingConfig.Kind kind, long seed, List<MetricsRow> rows,
                       TrainingExperiment.Listener listener, int total) {
        Evaluator.Metrics m0 = task.evaluator().evaluate(net);
        MetricsRow initial = new MetricsRow(kind.id(), seed, 0, m0.trainLoss(), m0.testLoss(), m0.testMetric(), 0, 0,
                0, Double.NaN);
        rows.add(initial);
        listener.initialEvaluated(initial);
        SparkTrainerBuilder builder = SparkOrderedTrainer.builder().setContext(sc).setModel(net);
        if (files != null) {
            builder.setDataPaths(ExportedShards.paths(sc, files));
        } else {
            builder.setData(new ExistingDataSetIterator(List.of(task.train())));
        }
        try (SparkOrderedTrainer t = builder
                .setOrdering(OrderingConfig.builder(kind).optSeed(seed).build()).optWorkers(training.workers())
                .optBatchSize(training.batch()).optAveragingFrequency(averagingFrequency)
                .optSketchDim(training.sketch()).build()) {
            double cumulative = 0;
            for (int e = 1; e <= training.epochs(); e++) {
                SparkEpochStats s = t.fitEpoch();
                cumulative += s.seconds();
                listener.stepDone(kind.id(), seed, e, s.jobs(), s.jobs());
                Evaluator.Metrics m = task.evaluator().evaluate(net);
                MetricsRow row = new MetricsRow(kind.id(), seed, e, m.trainLoss(), m.testLoss(), m.testMetric(),
                        s.seconds(), s.orderingSeconds(), cumulative, Double.NaN);
                rows.add(row);
                sparkRows.add(new Object[] {kind.id(), seed, e, s.jobs(), s.reports(), s.reportBytes(),
                        s.orderBytes(), s.duplicates(), String.join(" ", s.fallbackWorkers().stream()
                        .map(String::valueOf).toList()), Decimals.fixed(s.seconds(), 4),
                        Decimals.fixed(s.orderingSeconds(), 4)});
                listener.epochDone(row, ++epochsDone, total);
            }
        }
    }

    @Override
    public void writeFiles(ResultFiles files) {
        files.write(CSV, file -> {
            try (CSVPrinter csv = CsvFiles.create(file, COLUMNS)) {
                for (Object[] r : sparkRows) {
                    csv.printRecord(r);
                }
            }
        });
    }
}
