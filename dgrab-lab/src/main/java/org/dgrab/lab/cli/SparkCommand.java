package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.dgrab.dl4j.Granularity;
import org.dgrab.spark.SparkOrderedTrainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab spark}: the Fashion-MNIST image task trained with DL4J's Spark parameter averaging through
 * {@link SparkOrderedTrainer}, one model per ordering and seed from the same initial weights; the same
 * {@code metrics.csv}, {@code metrics.png} and summary line as the other training commands, plus {@code spark.csv}
 * (per epoch: Spark jobs, reports, ordering bytes, driver ordering time). With {@code --export DIR} the training set
 * is first exported as {@code DataSet} files and trained from their paths.
 */
@Command(name = "spark",
        defaultValueProvider = SparkCommand.Defaults.class,
        sortOptions = false,
        description = {
                "CD-GraB vs D-RR on DL4J's Spark training (parameter averaging), orders kept on the driver.",
                "",
                "Data: the Fashion-MNIST sample bundled for the demo, or the four IDX files in --data-dir; with "
                        + "--export, first written as DataSet files that the executors load. Writes "
                        + "DIR/metrics.csv, DIR/metrics.png and DIR/spark.csv; the line "
                        + "summary <order>=<final train loss> ..., " + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab spark --master 'local[4]' --workers 4 --epochs 10 --seeds 0,1,2",
                "  ./dgrab spark --data-dir /usr/share/datasets/fashion-mnist --averaging-frequency 5 --sketch 1000",
                "  ./dgrab spark --export runs/spark/data --workers 4 --batch 16 --epochs 10"})
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

    @Option(names = "--export", paramLabel = "DIR", order = 5,
            description = "Export the training set first as DataSet files (DIR/worker-W/batch-NNNNNN.bin, "
                    + "mini-batches of --batch, each written atomically; earlier files of the same names are "
                    + "replaced) and train from their paths: the executors load their shard's files, no data passes "
                    + "through the driver while training. On a cluster DIR must be readable by every executor.")
    private Path export;

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
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read or the results cannot be written
     */
    @Override
    public Integer call() throws IOException {
        return new TrainingRun(this, orders, training).run(() -> {
            checkRange("--averaging-frequency", averagingFrequency, 1, 100_000);
            if (training.granularity() != Granularity.BATCH) {
                throw invalid("--granularity", training.granularity().id(), "dgrab spark orders batch units only");
            }
        }, () -> ImageTask.of(dataDir == null ? ImageTask.Data.fashionMnistSample(training.limitTrain(),
                training.limitTest()) : ImageTask.Data.fashionMnist(dataDir, training.limitTrain(),
                training.limitTest()), model.kind(), training),
                new SparkEngine(master, averagingFrequency, training, export));
    }
}
