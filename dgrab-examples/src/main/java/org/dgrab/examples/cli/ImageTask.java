package org.dgrab.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.examples.cli.TrainingOptions.ModelKind;
import org.dgrab.examples.data.FashionMnist;
import org.dgrab.examples.experiment.ClassificationEvaluator;
import org.dgrab.examples.models.Models;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training task of the image-classification commands ({@code cifar10}, {@code fashion-mnist}, {@code demo}):
 * LeNet-5 or an MLP ({@link ModelOption}), test accuracy as the metric. The commands differ only in where their
 * {@link Data} comes from and in their defaults.
 */
final class ImageTask {
    private ImageTask() {
    }

    /**
     * A loaded image data set. Features are flat, {@code [N, channels * height * width]} in channel-first order
     * (all of channel 0, then channel 1, ...), values in {@code [0, 1]}; labels one-hot {@code [N, classes]}.
     *
     * @param name     what the data set is called in the report, e.g. {@code CIFAR-10}
     * @param train    training examples
     * @param test     test examples
     * @param channels image channels
     * @param height   image height
     * @param width    image width
     * @param classes  classes
     * @param source   where the data came from, for the report (e.g. a directory)
     */
    record Data(String name, DataSet train, DataSet test, int channels, int height, int width, int classes,
                String source) {

        /**
         * @param limitTrain training images to keep (0: all)
         * @param limitTest  test images to keep (0: all)
         * @return the Fashion-MNIST sample bundled with dgrab
         * @throws IOException if the sample cannot be read
         */
        static Data fashionMnistSample(int limitTrain, int limitTest) throws IOException {
            return new Data("Fashion-MNIST sample", FashionMnist.loadSample(true, limitTrain),
                    FashionMnist.loadSample(false, limitTest), 1, FashionMnist.SIDE, FashionMnist.SIDE,
                    FashionMnist.CLASSES, "bundled with dgrab, Zalando Research, MIT");
        }

        /**
         * @param dir        folder with the four IDX files, gzipped or not
         * @param limitTrain training images to keep (0: all)
         * @param limitTest  test images to keep (0: all)
         * @return Fashion-MNIST
         * @throws org.dgrab.examples.data.MissingDataException if a file is missing (the message says which)
         * @throws IOException                                  if a file cannot be read
         */
        static Data fashionMnist(Path dir, int limitTrain, int limitTest) throws IOException {
            FashionMnist.requireFiles(dir);
            return new Data("Fashion-MNIST", FashionMnist.load(dir, true, limitTrain),
                    FashionMnist.load(dir, false, limitTest), 1, FashionMnist.SIDE, FashionMnist.SIDE,
                    FashionMnist.CLASSES, "IDX files in " + dir);
        }
    }

    /**
     * The task of training a network on images.
     *
     * @param data     the images
     * @param model    which network
     * @param training the training options (optimiser and learning rate)
     * @return the task
     * @throws IOException if the images do not have the declared size
     */
    static TrainingRun.Task of(Data data, ModelKind model, TrainingOptions training) throws IOException {
        long pixels = (long) data.channels() * data.height() * data.width();
        for (DataSet d : new DataSet[] {data.train(), data.test()}) {
            if (d.getFeatures().rank() != 2 || d.getFeatures().size(1) != pixels) {
                throw new IOException(data.source() + ": images have " + d.getFeatures().length()
                        / Math.max(1, d.getFeatures().size(0)) + " values each, expected " + data.channels() + "x"
                        + data.height() + "x" + data.width() + " = " + pixels);
            }
        }
        String net = model == ModelKind.LENET ? "LeNet-5" : "MLP (" + ModelKind.MLP_HIDDEN + " hidden)";
        String description = String.format(Locale.ROOT, "%s on %s (%s): %d train / %d test images", net, data.name(),
                data.source(), data.train().numExamples(), data.test().numExamples());
        return new TrainingRun.Task(data.train(), data.test().numExamples(),
                new ClassificationEvaluator(data.train(), data.test()), modelFactory(data, model, training), description,
                "images", "train loss", "test accuracy", "test acc");
    }

    private static LongFunction<MultiLayerNetwork> modelFactory(Data d, ModelKind kind, TrainingOptions training) {
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        if (kind == ModelKind.LENET) {
            return seed -> Models.lenet(d.channels(), d.height(), d.width(), d.classes(), optimizer.updater(lr), seed);
        }
        int inputs = d.channels() * d.height() * d.width();
        return seed -> Models.mlp(inputs, ModelKind.MLP_HIDDEN, d.classes(), optimizer.updater(lr), seed);
    }
}
