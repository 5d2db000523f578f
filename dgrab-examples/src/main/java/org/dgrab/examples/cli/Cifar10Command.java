package org.dgrab.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.dgrab.examples.data.Cifar10Binary;
import org.dgrab.examples.data.Cifar10Dl4j;
import org.nd4j.linalg.dataset.DataSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab cifar10}: LeNet-5 on CIFAR-10 with {@code n} data-parallel workers, the CD-GraB paper's image task.
 * The data comes from DL4J's {@code Cifar10DataSetIterator} (downloaded once and cached, as DL4J users expect) or,
 * with {@code --data-dir}, from the official binary version. See {@link ImageTask} for the
 * pipeline and the outputs.
 */
@Command(name = "cifar10",
        defaultValueProvider = Cifar10Command.Defaults.class,
        sortOptions = false,
        description = {
                "LeNet-5 on CIFAR-10 with n data-parallel workers (the CD-GraB paper's image task): trains one model "
                        + "per ordering and seed from the same initial weights and compares the orderings.",
                "",
                "Data: with --data-dir, the official binary version (data_batch_1.bin ... data_batch_5.bin, "
                        + "test_batch.bin from " + Cifar10Binary.ARCHIVE_URL + "); without it, DL4J's "
                        + "Cifar10DataSetIterator, which downloads CIFAR-10 once into ~/.deeplearning4j/data/cifar10.",
                "",
                "Writes DIR/metrics.csv (order,seed,epoch,train_loss,test_loss,test_metric,epoch_seconds,"
                        + "ordering_seconds; test_metric = accuracy) and DIR/metrics.png, prints per-epoch tables, "
                        + "and as the last line: summary <order>=<final train loss> ...",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab cifar10 --data-dir ~/data/cifar-10-batches-bin --epochs 10 --out runs/cifar10",
                "  ./dgrab cifar10 --orders cd-grab,d-rr --seeds 0,1,2 --limit-train 10000"})
public final class Cifar10Command extends DgrabCommand {

    /** This command's defaults. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "4", "--epochs", "10", "--batch", "16", "--lr", "0.01",
                    "--optimizer", "nesterovs", "--seeds", "0", "--granularity", "example-last-layer",
                    "--model", "lenet", "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Option(names = "--data-dir", paramLabel = "DIR", order = 1,
            description = "Folder with the binary version's files (cifar-10-batches-bin); default: DL4J's "
                    + "Cifar10DataSetIterator (downloads once, then reads its cache).")
    private Path dataDir;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private ModelOption model;

    /** Used by picocli. */
    public Cifar10Command() {
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
        DataSet train;
        DataSet test;
        String source;
        if (dataDir != null) {
            Cifar10Binary.requireFiles(dataDir);
            err().println(spec.qualifiedName() + ": reading CIFAR-10 from " + dataDir);
            err().flush();
            train = Cifar10Binary.load(dataDir, true, limitTrain);
            test = Cifar10Binary.load(dataDir, false, limitTest);
            source = "binary files in " + dataDir;
        } else {
            err().println(spec.qualifiedName() + ": reading CIFAR-10 through DL4J's Cifar10DataSetIterator (cache "
                    + Cifar10Dl4j.cacheDir() + "; downloads it when missing)");
            err().flush();
            train = Cifar10Dl4j.load(true, limitTrain);
            test = Cifar10Dl4j.load(false, limitTest);
            source = "DL4J Cifar10DataSetIterator";
        }
        return new ImageTask.Data("CIFAR-10", flat(train), flat(test), Cifar10Binary.CHANNELS, Cifar10Binary.SIDE, Cifar10Binary.SIDE,
                Cifar10Binary.CLASSES, source);
    }

    /** [N, 3, 32, 32] to [N, 3072] in channel-first order, which both models accept. */
    private static DataSet flat(DataSet d) {
        long n = d.getFeatures().size(0);
        return new DataSet(d.getFeatures().reshape('c', n, d.getFeatures().length() / n), d.getLabels());
    }
}
