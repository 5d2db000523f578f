package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.dgrab.lab.data.FashionMnist;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab fashion-mnist}: the image-classification pipeline of {@link ImageTask} on
 * Fashion-MNIST IDX files (by default those of Debian's {@code dataset-fashion-mnist} package).
 */
@Command(name = "fashion-mnist",
        defaultValueProvider = FashionMnistCommand.Defaults.class,
        sortOptions = false,
        description = {
                "LeNet-5 (or an MLP) on Fashion-MNIST with n data-parallel workers: trains one model per ordering "
                        + "and seed from the same initial weights and compares the orderings.",
                "",
                "Data: the four IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                        + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) in --data-dir; Debian's "
                        + "dataset-fashion-mnist package installs them in " + "/usr/share/datasets/fashion-mnist.",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy) and DIR/metrics.png, prints per-epoch tables, "
                        + "the line summary <order>=<final train loss> ..., " + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab fashion-mnist --epochs 10 --out runs/fashion-mnist",
                "  ./dgrab fashion-mnist --model mlp --orders cd-grab,d-rr --seeds 0,1,2 --limit-train 2000 --epochs 2"})
public final class FashionMnistCommand extends DgrabCommand {

    /** This command's defaults. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "4", "--epochs", "10", "--batch", "16", "--lr", "0.01",
                    "--optimizer", "nesterovs", "--seeds", "0", "--granularity", "example-last-layer",
                    "--model", "lenet", "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Option(names = "--data-dir", paramLabel = "DIR", order = 1, defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Folder with the four Fashion-MNIST IDX files, gzipped or not (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private ModelOption model;

    /** Used by picocli. */
    public FashionMnistCommand() {
    }

    /**
     * Trains and compares the orderings.
     *
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read or the results cannot be written
     */
    @Override
    public Integer call() throws IOException {
        return new TrainingRun(this, orders, training).run(() -> { },
                () -> ImageTask.of(load(training.limitTrain(), training.limitTest()), model.kind(), training));
    }

    private ImageTask.Data load(int limitTrain, int limitTest) throws IOException {
        FashionMnist.requireFiles(dataDir);
        err().println(spec.qualifiedName() + ": reading Fashion-MNIST from " + dataDir);
        err().flush();
        return ImageTask.Data.fashionMnist(dataDir, limitTrain, limitTest);
    }
}
