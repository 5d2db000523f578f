package org.dgrab.examples.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.examples.cli.TrainingOptions.ModelKind;
import org.dgrab.examples.data.MissingDataException;
import org.dgrab.examples.experiment.ClassificationEvaluator;
import org.dgrab.examples.models.Models;
import org.nd4j.linalg.dataset.DataSet;

import picocli.CommandLine.Option;

/**
 * The image-classification commands ({@code cifar10}, {@code fashion-mnist}, {@code demo}): the pipeline of
 * {@link TrainingCommand} with LeNet-5 or an MLP, test accuracy as the metric; they differ only in where the data
 * comes from ({@link #load}) and in their defaults.
 */
public abstract class ImageClassificationCommand extends TrainingCommand {

    @Option(names = "--model", paramLabel = "M", order = 17, converter = TrainingOptions.ModelConverter.class,
            description = "lenet (LeNet-5: two 5x5 convolutions, dense 120-84) or mlp (one hidden layer of "
                    + ModelKind.MLP_HIDDEN + " ReLU units) (default: ${DEFAULT-VALUE}).")
    private ModelKind model;

    /** For subclasses. */
    protected ImageClassificationCommand() {
    }

    /**
     * A loaded image data set. Features are flat, {@code [N, channels * height * width]} in channel-first order
     * (all of channel 0, then channel 1, ...), values in {@code [0, 1]}; labels one-hot {@code [N, classes]}.
     *
     * @param train    training examples
     * @param test     test examples
     * @param channels image channels
     * @param height   image height
     * @param width    image width
     * @param classes  classes
     * @param source   where the data came from, for the report (e.g. a directory)
     */
    protected record ImageData(DataSet train, DataSet test, int channels, int height, int width, int classes,
                               String source) {
    }

    /**
     * Loads the data.
     *
     * @param limitTrain at most this many training examples, {@code 0} for all
     * @param limitTest  at most this many test examples, {@code 0} for all
     * @return the data
     * @throws MissingDataException if the files are not there (the message says where to put them)
     * @throws IOException          if they cannot be read
     */
    protected abstract ImageData load(int limitTrain, int limitTest) throws IOException;

    /** @return what the data set is called in the report, e.g. {@code CIFAR-10} */
    protected abstract String dataName();

    /** @return {@code --model} (its default comes from the command's defaults provider) */
    protected ModelKind model() {
        if (model == null) {
            throw new IllegalStateException("no value and no default for --model; the command's "
                    + "defaultValueProvider must define it");
        }
        return model;
    }

    @Override
    protected final Task prepare() throws IOException {
        ImageData data = load(training.limitTrain(), training.limitTest());
        long pixels = (long) data.channels() * data.height() * data.width();
        for (DataSet d : new DataSet[] {data.train(), data.test()}) {
            if (d.getFeatures().rank() != 2 || d.getFeatures().size(1) != pixels) {
                throw new IOException(data.source() + ": images have " + d.getFeatures().length()
                        / Math.max(1, d.getFeatures().size(0)) + " values each, expected " + data.channels() + "x"
                        + data.height() + "x" + data.width() + " = " + pixels);
            }
        }
        String net = model() == ModelKind.LENET ? "LeNet-5" : "MLP (" + ModelKind.MLP_HIDDEN + " hidden)";
        String description = String.format(Locale.ROOT, "%s on %s (%s): %d train / %d test images", net, dataName(),
                data.source(), data.train().numExamples(), data.test().numExamples());
        return new Task(data.train(), data.test().numExamples(), new ClassificationEvaluator(data.train(), data.test()),
                modelFactory(data), description, "images", "train loss", "test accuracy", "test acc");
    }

    private LongFunction<MultiLayerNetwork> modelFactory(ImageData d) {
        ModelKind kind = model();
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        if (kind == ModelKind.LENET) {
            return seed -> Models.lenet(d.channels(), d.height(), d.width(), d.classes(), optimizer.updater(lr), seed);
        }
        int inputs = d.channels() * d.height() * d.width();
        return seed -> Models.mlp(inputs, ModelKind.MLP_HIDDEN, d.classes(), optimizer.updater(lr), seed);
    }
}
