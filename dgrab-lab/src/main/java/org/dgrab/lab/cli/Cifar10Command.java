package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.dgrab.dl4j.Granularity;

import org.dgrab.lab.data.Cifar10Binary;
import org.dgrab.lab.data.Cifar10Dl4j;
import org.dgrab.lab.data.ImageAugmentation;
import org.nd4j.linalg.dataset.DataSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab cifar10}: LeNet-5 on CIFAR-10 with {@code n} data-parallel workers, the CD-GraB paper's image task.
 * The data comes from DL4J's {@code Cifar10DataSetIterator} (downloaded once and cached, as DL4J users expect) or,
 * with {@code --data-dir}, from the official binary version. See {@link ImageTask} for the
 * pipeline and the outputs. With {@code --images DIR} it trains on a folder of image files instead, in DL4J's
 * layout ({@code DIR/train/<label>/}, {@code DIR/test/<label>/}), read on demand by DataVec's
 * {@code ImageRecordReader} through dgrab's {@code OrderedDataSetIterator}, with optional random augmentation
 * ({@code --augment flip,crop}) drawn anew on every read ({@link ImageTask#ofFolder}).
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
                        + "Cifar10DataSetIterator, which downloads CIFAR-10 once into ~/.deeplearning4j/data/cifar10. "
                        + "With --images DIR: the image files in DIR/train/<label>/ and DIR/test/<label>/ (any "
                        + "size and labels), read on demand every epoch, optionally augmented (--augment flip,crop).",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy) and DIR/metrics.png, prints per-epoch tables, "
                        + "the line summary <order>=<final train loss> ..., " + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab cifar10 --data-dir ~/data/cifar-10-batches-bin --epochs 10 --out runs/cifar10",
                "  ./dgrab cifar10 --orders cd-grab,d-rr --seeds 0,1,2 --limit-train 10000",
                "  ./dgrab make-images --out data/fashion-png && ./dgrab cifar10 --images data/fashion-png --augment flip "
                        + "--orders cd-grab,d-rr --seeds 0,1,2 --epochs 5"})
public final class Cifar10Command extends DgrabCommand {
    /** Largest {@code --height} and {@code --width}. */
    static final int MAX_SIDE = 4096;

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

    @Option(names = "--images", paramLabel = "DIR", order = 2,
            description = "Train on a folder of images instead: DIR/train/<label>/*.png, evaluated on "
                    + "DIR/test/<label>/*.png (./dgrab make-images writes Fashion-MNIST so), read on demand every epoch "
                    + "by DataVec's ImageRecordReader through dgrab's OrderedDataSetIterator and net.fit.")
    private Path images;

    @Option(names = "--augment", paramLabel = "LIST", order = 3, split = ",", defaultValue = "none",
            description = "With --images: random augmentation of every training read, a comma list of flip (left-right, "
                    + "probability 1/2) and crop (pad by 1/8 of the side, cut back at a random offset), or none "
                    + "(default: ${DEFAULT-VALUE}); seeded by the run's seed.")
    private List<String> augment;

    @Option(names = "--height", paramLabel = "H", order = 4, defaultValue = "0",
            description = "With --images: image height the model takes (images are rescaled); 0 = the first training "
                    + "image's (default: ${DEFAULT-VALUE}).")
    private int height;

    @Option(names = "--width", paramLabel = "W", order = 5, defaultValue = "0",
            description = "With --images: image width; 0 = the first training image's (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--channels", paramLabel = "C", order = 6, defaultValue = "0",
            description = "With --images: 1 (grayscale) or 3 (colour); 0 = the first training image's "
                    + "(default: ${DEFAULT-VALUE}).")
    private int channels;

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
        if (images != null) {
            ImageAugmentation[] augmentation = new ImageAugmentation[1];
            return new TrainingRun(this, orders, training).run(() -> augmentation[0] = validateImages(),
                    () -> ImageTask.ofFolder(images, new int[] {channels, height, width}, augmentation[0],
                            model.kind(), training));
        }
        return new TrainingRun(this, orders, training).run(this::refuseImageOptions,
                () -> ImageTask.of(load(training.limitTrain(), training.limitTest()), model.kind(), training));
    }

    /** The options of {@code --images}, checked with the others before any data is read. */
    private ImageAugmentation validateImages() {
        if (dataDir != null) {
            throw invalid("--data-dir", dataDir, "give either --data-dir (CIFAR-10 binary files) or --images (a "
                    + "folder of images), not both");
        }
        checkRange("--height", height, 0, MAX_SIDE);
        checkRange("--width", width, 0, MAX_SIDE);
        if (channels != 0 && channels != 1 && channels != 3) {
            throw invalid("--channels", channels, "valid: 0 (the first image's), 1 or 3");
        }
        Granularity g = training.granularity();
        if (g == Granularity.EXAMPLE_EXACT) {
            throw invalid("--granularity", g.id(), "with --images the ordered iterator trains with net.fit, which "
                    + "offers example-last-layer and batch units; example-exact needs the in-memory DataParallelTrainer");
        }
        if (g == Granularity.BATCH && training.workers() != 1) {
            throw invalid("--granularity", g.id(), "with --images, batch units are the record reader's batches, "
                    + "ordered for one worker: give --workers 1, or use example-last-layer units for "
                    + training.workers() + " workers");
        }
        try {
            return ImageAugmentation.parse(augment);
        } catch (IllegalArgumentException e) {
            throw invalid("--augment", String.join(",", augment), e.getMessage());
        }
    }

    /** The options that only {@code --images} reads must not be ignored silently. */
    private void refuseImageOptions() {
        if (!(augment.size() == 1 && augment.get(0).equals("none"))) {
            throw invalid("--augment", String.join(",", augment), "applies to --images only: augmentation runs on "
                    + "every read of image files, and the CIFAR-10 sources are copied into memory once");
        }
        for (Object[] o : new Object[][] {{"--height", height}, {"--width", width}, {"--channels", channels}}) {
            if ((int) o[1] != 0) {
                throw invalid((String) o[0], o[1], "applies to --images only; the CIFAR-10 images are 32x32x3");
            }
        }
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
