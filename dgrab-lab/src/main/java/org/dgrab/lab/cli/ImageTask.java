package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.lab.cli.TrainingOptions.ModelKind;
import org.dgrab.dl4j.Sharding;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.data.ImageAugmentation;
import org.dgrab.lab.data.ImageFolder;
import org.dgrab.lab.experiment.ClassificationEvaluator;
import org.dgrab.lab.experiment.OrderedIteratorTrainer;
import org.dgrab.lab.experiment.RunTrainer;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training task of the image-classification commands ({@code cifar10}, {@code fashion-mnist}, {@code demo}):
 * LeNet-5 or an MLP ({@link ModelOption}), test accuracy as the metric. The commands differ only in where their
 * {@link Data} comes from and in their defaults; {@code cifar10 --images DIR} reads a folder of image files on
 * demand instead ({@link #ofFolder}).
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
         * @throws org.dgrab.lab.data.MissingDataException if a file is missing (the message says which)
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

    /**
     * The task of training on a folder of images read on demand ({@code cifar10 --images DIR}): DataVec's
     * {@code ImageRecordReader} over {@code DIR/train}, wrapped in dgrab's {@code OrderedDataSetIterator} and trained
     * with {@code net.fit} ({@link OrderedIteratorTrainer}), so the augmentation is drawn anew on every read, every
     * epoch; evaluated after every epoch on the unaugmented {@code DIR/train} and {@code DIR/test}, read again from
     * the files. With {@code n} workers a served batch joins the workers' {@code --batch} examples each and is one
     * step on their mean gradient, the same update as {@code DataParallelTrainer}'s step, which sums the workers'
     * gradients and divides by all {@code n * B} examples (without augmentation and with the {@code fixed} ordering
     * the two paths give the same losses).
     *
     * @param root         the folder with {@code train/} and {@code test/}
     * @param shape        {@code {channels, height, width}}, each 0 to take it from the first training image
     * @param augmentation the augmentation of training reads
     * @param model        which network
     * @param training     the training options
     * @return the task
     * @throws IOException if the folder is missing or malformed (the message says what is expected)
     */
    static TrainingRun.Task ofFolder(Path root, int[] shape, ImageAugmentation augmentation, ModelKind model,
                                     TrainingOptions training) throws IOException {
        ImageFolder train = ImageFolder.open(root, "train", null, training.limitTrain());
        ImageFolder test = ImageFolder.open(root, "test", train.labels(), training.limitTest());
        int[] s = shape.clone();
        if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0) {
            int[] first = train.firstImageShape();
            for (int i = 0; i < 3; i++) {
                s[i] = s[i] > 0 ? s[i] : first[i];
            }
        }
        int channels = s[0];
        int height = s[1];
        int width = s[2];
        int classes = train.labels().size();
        if (classes < 2) {
            throw new IOException(train.dir() + " has one label folder (" + train.labels().get(0) + "); a classifier "
                    + "needs at least two");
        }
        int workers = training.workers();
        int batch = training.batch();
        // Units are examples by default; batch units are the source's own batches, one worker (checked as an option).
        Sharding sharding = train.numbered() ? Sharding.CONTIGUOUS : Sharding.SEEDED;
        RunTrainer.Factory trainers = new OrderedIteratorTrainer(seed -> {
            try {
                return train.iterator(channels, height, width, batch, augmentation.transform(seed, height, width));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the images of " + train.dir() + ": " + e.getMessage(), e);
            }
        }, workers, batch, training.granularity(), sharding);
        int chunk = 1000;
        ClassificationEvaluator evaluator = new ClassificationEvaluator(
                train.iterator(channels, height, width, chunk, null), test.iterator(channels, height, width, chunk, null));
        String net = model == ModelKind.LENET ? "LeNet-5" : "MLP (" + ModelKind.MLP_HIDDEN + " hidden)";
        String description = String.format(Locale.ROOT, "%s on the images in %s (%dx%dx%d, %d labels; DataVec "
                        + "ImageRecordReader read on demand, augmentation %s, %s shards; net.fit on the ordered "
                        + "iterator): %d train / %d test images", net, root, height, width, channels, classes,
                augmentation.id(), sharding == Sharding.CONTIGUOUS ? "contiguous" : "seeded", train.size(),
                test.size());
        return new TrainingRun.Task(null, train.size(), test.size(), evaluator,
                modelFactory(channels, height, width, classes, model, training.optimizer(), training.lr()), description, "images",
                "train loss", "test accuracy", "test acc", trainers);
    }

    private static LongFunction<MultiLayerNetwork> modelFactory(Data d, ModelKind kind, TrainingOptions training) {
        return modelFactory(d.channels(), d.height(), d.width(), d.classes(), kind, training.optimizer(),
                training.lr());
    }

    private static LongFunction<MultiLayerNetwork> modelFactory(int channels, int height, int width, int classes,
                                                                ModelKind kind, TrainingOptions.Optimizer optimizer,
                                                                double lr) {
        if (kind == ModelKind.LENET) {
            return seed -> Models.lenet(channels, height, width, classes, optimizer.updater(lr), seed);
        }
        int inputs = channels * height * width;
        return seed -> Models.mlp(inputs, ModelKind.MLP_HIDDEN, classes, optimizer.updater(lr), seed);
    }
}
