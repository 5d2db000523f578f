package org.dgrab.lab.cli;

import java.io.IOException;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code dgrab demo}: CD-GraB against D-RR on the small Fashion-MNIST sample bundled with dgrab-examples
 * ({@link org.dgrab.lab.data.FashionMnist#loadSample}), so that it runs on a fresh offline machine in a few minutes. Same pipeline and
 * outputs as {@code fashion-mnist} ({@link ImageTask}), with defaults chosen for a short run.
 */
@Command(name = "demo",
        defaultValueProvider = DemoCommand.Defaults.class,
        sortOptions = false,
        description = {
                "CD-GraB vs D-RR in a few minutes, offline: an MLP trained by 4 data-parallel workers on a sample of "
                        + "Fashion-MNIST bundled with dgrab (" + DemoCommand.SAMPLE_TRAIN + " training and "
                        + DemoCommand.SAMPLE_TEST + " test images; Fashion-MNIST is by Zalando Research, MIT license).",
                "",
                "Every option of fashion-mnist applies (other orderings, LeNet-5, more seeds, ...), with defaults "
                        + "for a short run.",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy) and DIR/metrics.png, prints per-epoch tables, "
                        + "the line summary cd-grab=<final train loss> d-rr=<final train loss>, "
                        + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab demo",
                "  ./dgrab demo --orders cd-grab,d-rr,id-grab-pair --seeds 0,1,2,3,4"})
public final class DemoCommand extends DgrabCommand {

    /** Training images in the bundled sample. */
    public static final int SAMPLE_TRAIN = 3000;
    /** Test images in the bundled sample. */
    public static final int SAMPLE_TEST = 1000;

    /** This command's defaults: a CD-GraB vs D-RR comparison that takes a few minutes on two cores. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--orders", "cd-grab,d-rr", "--workers", "4",
                    "--epochs", "10", "--batch", "16", "--lr", "0.05",
                    "--optimizer", "sgd", "--seeds", "0,1,2",
                    "--granularity", "example-last-layer", "--model", "mlp",
                    "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private ModelOption model;

    /** Used by picocli. */
    public DemoCommand() {
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
                () -> ImageTask.of(ImageTask.Data.fashionMnistSample(training.limitTrain(), training.limitTest()),
                        model.kind(), training));
    }

}
