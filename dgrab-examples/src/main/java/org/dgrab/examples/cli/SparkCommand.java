package org.dgrab.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.examples.data.FashionMnist;
import org.dgrab.examples.experiment.Evaluator;
import org.dgrab.examples.experiment.MetricsRow;
import org.dgrab.examples.experiment.MetricsSummary;
import org.dgrab.examples.report.AtomicOutput;
import org.dgrab.examples.report.CsvFiles;
import org.dgrab.examples.report.LineChart;
import org.dgrab.spark.SparkEpochStats;
import org.dgrab.spark.SparkOrderedTrainer;
import org.dgrab.spark.SparkTrainerBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab spark}: the Fashion-MNIST image task trained with DL4J's Spark parameter averaging through
 * {@link SparkOrderedTrainer}, one model per ordering and seed from the same initial weights; the same
 * {@code metrics.csv}, {@code metrics.png} and summary line as the other training commands, plus {@code spark.csv}
 * (per epoch: Spark jobs, reports, ordering bytes, driver ordering time).
 */
@Command(name = "spark",
        defaultValueProvider = SparkCommand.Defaults.class,
        sortOptions = false,
        description = {
                "CD-GraB vs D-RR on DL4J's Spark training (parameter averaging), orders kept on the driver.",
                "",
                "Data: the Fashion-MNIST sample bundled for the demo, or the four IDX files in --data-dir. Writes "
                        + "DIR/metrics.csv, DIR/metrics.png and DIR/spark.csv; the last line is "
                        + "summary <order>=<final train loss> ...",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab spark --master 'local[4]' --workers 4 --epochs 10 --seeds 0,1,2",
                "  ./dgrab spark --data-dir /usr/share/datasets/fashion-mnist --averaging-frequency 5 --sketch 1000"})
public final class SparkCommand extends DgrabCommand {

    /** This command's defaults. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "4", "--epochs", "10", "--batch", "16", "--lr", "0.05", "--optimizer", "sgd",
                    "--seeds", "0", "--granularity", "batch", "--model", "mlp", "--limit-train", "0",
                    "--limit-test", "0", "--threads", "1", "--sketch", "-1");
        }
    }

    @Option(names = "--master", paramLabel = "URL", order = 1,
            description = "Spark master, e.g. 'local[4]' or spark://host:7077 (default: spark.master as spark-submit "
                    + "sets it, else local[--workers]).")
    private String master;

    @Option(names = "--averaging-frequency", paramLabel = "W", order = 2, defaultValue = "1",
            description = "Steps per worker between parameter averagings: 1 = synchronous SGD (default: "
                    + "${DEFAULT-VALUE}).")
    private int averagingFrequency;

    @Option(names = "--data-dir", paramLabel = "DIR", order = 4,
            description = "Folder with the four Fashion-MNIST IDX files (default: the bundled sample).")
    private Path dataDir;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private ModelOption model;

    /** Used by picocli. */
    public SparkCommand() {
    }

    /**
     * Trains every (seed, ordering) on Spark and writes the results.
     *
     * @return 0 on success
     * @throws IOException if the data cannot be read or the results cannot be written
     */
    @Override
    public Integer call() throws IOException {
        checkRange("--workers", training.workers(), 1, TrainingOptions.MAX_WORKERS);
        checkRange("--epochs", training.epochs(), 1, TrainingOptions.MAX_EPOCHS);
        checkRange("--batch", training.batch(), 1, TrainingOptions.MAX_BATCH);
        checkRange("--averaging-frequency", averagingFrequency, 1, 100_000);
        checkRange("--sketch", training.sketch(), SparkTrainerBuilder.AUTO_SKETCH, TrainingOptions.MAX_SKETCH);
        if (!(training.lr() > 0 && training.lr() <= TrainingOptions.MAX_LR)) {
            throw invalid("--lr", training.lr(), "valid: > 0 and <= " + (int) TrainingOptions.MAX_LR);
        }
        if (training.granularity() != Granularity.BATCH) {
            throw invalid("--granularity", training.granularity().id(), "dgrab spark orders batch units only");
        }
        List<OrderingConfig.Kind> kinds = orders.kinds();
        Path outDir = training.outDir(spec.name());
        checkOut(outDir);
        TrainingRun.Task task = ImageTask.of(load(), model.kind(), training);
        out().println("spark: " + task.description() + ", " + training.workers() + " workers x batch "
                + training.batch() + ", averaging frequency " + averagingFrequency + ", sketch "
                + (training.sketch() < 0 ? "auto" : training.sketch()) + ", " + training.epochs() + " epochs");
        SparkConf conf = new SparkConf().setAppName("dgrab spark");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + training.workers() + "]");
        }
        List<MetricsRow> rows = new ArrayList<>();
        List<String> sparkRows = new ArrayList<>();
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            for (long seed : training.seeds()) {
                MultiLayerNetwork initial = task.modelFactory().apply(seed);
                for (OrderingConfig.Kind kind : kinds) {
                    train(sc, task, initial.clone(), kind, seed, rows, sparkRows);
                }
            }
        } finally {
            // Spark 3.5 leaves a non-daemon thread behind; Main exits explicitly after the command.
            sc.stop();
        }
        List<String> ids = new ArrayList<>();
        kinds.forEach(k -> ids.add(k.id()));
        rows = MetricsSummary.sorted(rows, ids, training.seeds());
        MetricsSummary summary = new MetricsSummary(rows);
        StringBuilder last = new StringBuilder("summary");
        for (String o : summary.orders()) {
            last.append(' ').append(o).append('=').append(TrainingRun.fmt(summary.series(o, MetricsRow::trainLoss).last()));
        }
        try (AtomicOutput files = new AtomicOutput(outDir)) {
            try (CSVPrinter csv = CsvFiles.create(files.create(TrainingRun.CSV), MetricsRow.columns())) {
                for (MetricsRow r : rows) {
                    csv.printRecord(r.csvCells());
                }
            }
            try (CSVPrinter csv = CsvFiles.create(files.create("spark.csv"), "order", "seed", "epoch", "jobs",
                    "reports", "report_bytes", "order_bytes", "duplicates", "fallback_workers", "epoch_seconds",
                    "ordering_seconds")) {
                for (String r : sparkRows) {
                    csv.printRecord((Object[]) r.split(",", -1));
                }
            }
            if (!training.noChart()) {
                LineChart.writePanels(files.create(TrainingRun.PNG),
                        chart(summary, "Train loss (full training set)", "train loss", MetricsRow::trainLoss),
                        chart(summary, "Test accuracy", "test accuracy", MetricsRow::testMetric));
            }
            for (Path p : files.commit()) {
                out().println("wrote " + p);
            }
        }
        out().println(last);
        out().flush();
        return 0;
    }

    private void train(JavaSparkContext sc, TrainingRun.Task task, MultiLayerNetwork net, OrderingConfig.Kind kind,
                       long seed, List<MetricsRow> rows, List<String> sparkRows) {
        Evaluator.Metrics m0 = task.evaluator().evaluate(net);
        rows.add(new MetricsRow(kind.id(), seed, 0, m0.trainLoss(), m0.testLoss(), m0.testMetric(), 0, 0));
        try (SparkOrderedTrainer t = SparkOrderedTrainer.builder().setContext(sc).setModel(net)
                .setData(new ExistingDataSetIterator(List.of(task.train())))
                .setOrdering(OrderingConfig.builder(kind).optSeed(seed).build()).optWorkers(training.workers())
                .optBatchSize(training.batch()).optAveragingFrequency(averagingFrequency).optSketchDim(training.sketch())
                .build()) {
            for (int e = 1; e <= training.epochs(); e++) {
                SparkEpochStats s = t.fitEpoch();
                Evaluator.Metrics m = task.evaluator().evaluate(net);
                rows.add(new MetricsRow(kind.id(), seed, e, m.trainLoss(), m.testLoss(), m.testMetric(), s.seconds(),
                        s.orderingSeconds()));
                sparkRows.add(String.join(",", kind.id(), Long.toString(seed), Integer.toString(e),
                        Integer.toString(s.jobs()), Long.toString(s.reports()), Long.toString(s.reportBytes()),
                        Long.toString(s.orderBytes()), Long.toString(s.duplicates()),
                        String.join(" ", s.fallbackWorkers().stream().map(String::valueOf).toList()),
                        String.format(Locale.ROOT, "%.4f", s.seconds()), String.format(Locale.ROOT, "%.4f",
                                s.orderingSeconds())));
                err().printf(Locale.ROOT, "spark %s seed %d epoch %d/%d: train loss %.4f, test acc %.4f, %.2f s "
                                + "(ordering %.3f s, %d B)%n", kind.id(), seed, e, training.epochs(), m.trainLoss(),
                        m.testMetric(), s.seconds(), s.orderingSeconds(), s.orderingBytes());
                err().flush();
            }
        }
    }

    private ImageTask.Data load() throws IOException {
        int lt = training.limitTrain();
        int ls = training.limitTest();
        if (dataDir == null) {
            return new ImageTask.Data("Fashion-MNIST sample", FashionMnist.loadSample(true, lt),
                    FashionMnist.loadSample(false, ls), 1, FashionMnist.SIDE, FashionMnist.SIDE, FashionMnist.CLASSES,
                    "bundled sample");
        }
        FashionMnist.requireFiles(dataDir);
        return new ImageTask.Data("Fashion-MNIST", FashionMnist.load(dataDir, true, lt), FashionMnist.load(dataDir,
                false, ls), 1, FashionMnist.SIDE, FashionMnist.SIDE, FashionMnist.CLASSES, "IDX files in " + dataDir);
    }

    private LineChart chart(MetricsSummary summary, String title, String yTitle, ToDoubleFunction<MetricsRow> metric) {
        LineChart c = new LineChart(title + " (Spark, mean over " + training.seeds().size() + " seed(s))", "epoch",
                yTitle).integerX(true).size(760, 520);
        for (String o : summary.orders()) {
            MetricsSummary.Series s = summary.series(o, metric);
            c.series(o, s.epochs(), s.mean());
        }
        return c;
    }
}
