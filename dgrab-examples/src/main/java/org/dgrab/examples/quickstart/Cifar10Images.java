package org.dgrab.examples.quickstart;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * CD-GraB on a folder of images in the usual layout, {@code DIR/train/<label>/*.png} and {@code DIR/test/<label>/*.png}
 * (CIFAR-10 as PNGs, or what {@code ./dgrab make-images --out DIR} writes for Fashion-MNIST): DataVec's
 * {@code ImageRecordReader} labels each image by its folder, flips training images left-right at random, and dgrab's
 * {@code OrderedDataSetIterator} wraps the reader's iterator in place of shuffling. A LeNet-5-style network trains
 * with plain {@code net.fit}, and is evaluated on the test folder.
 *
 * <p>Run: {@code java ... org.dgrab.examples.quickstart.Cifar10Images DIR [EPOCHS]}.
 */
public final class Cifar10Images {
    private Cifar10Images() {
    }

    /**
     * What the example ends with.
     *
     * @param labels      the labels, in label-index order (the folder names, sorted)
     * @param accuracy    test accuracy after the last epoch
     * @param orderEpochs epochs the ordering has reordered
     */
    public record Result(List<String> labels, double accuracy, int orderEpochs) {
    }

    /**
     * Runs the example.
     *
     * @param args the image folder, then optionally the number of epochs (default 2)
     * @throws IOException if the folder cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Cifar10Images DIR [EPOCHS]  (DIR/train/<label>/*.png, DIR/test/<label>/*.png)");
            System.exit(2);
        }
        Result r = run(new File(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 2, 32, 42);
        System.out.printf("labels %s: test accuracy %.4f after %d CD-GraB-ordered epochs%n", r.labels(),
                r.accuracy(), r.orderEpochs());
    }

    /**
     * Trains and evaluates.
     *
     * @param dir    the folder holding {@code train/} and {@code test/}
     * @param epochs epochs to train
     * @param batch  examples per batch
     * @param seed   seed of the weights, the augmentation and the ordering
     * @return the result
     * @throws IOException if the folder cannot be read
     */
    public static Result run(File dir, int epochs, int batch, long seed) throws IOException {
        Random random = new Random(seed);
        FileSplit trainFiles = images(new File(dir, "train"), random);
        FileSplit testFiles = images(new File(dir, "test"), random);
        // Size and colour from the first image: 32x32x3 for CIFAR-10, 28x28x1 for Fashion-MNIST.
        var first = ImageIO.read(new File(trainFiles.locations()[0]));
        int height = first.getHeight();
        int width = first.getWidth();
        int channels = first.getRaster().getNumBands() <= 2 ? 1 : 3;

        // A left-right mirror half of the time, from the seeded generator. DataVec's FlipImageTransform(Random)
        // would also turn images upside down, which photos never are.
        FlipImageTransform mirror = new FlipImageTransform(1);
        ImageTransform flip = new BaseImageTransform<Mat>(new Random(seed)) {
            @Override
            protected ImageWritable doTransform(ImageWritable image, Random r) {
                return image != null && r.nextBoolean() ? mirror.transform(image) : image;
            }
        };
        ImageRecordReader trainReader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator(),
                flip);
        trainReader.initialize(trainFiles);
        List<String> labels = trainReader.getLabels();
        ImageRecordReader testReader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator());
        testReader.initialize(testFiles);
        testReader.setLabels(labels);
        DataSetIterator train = new RecordReaderDataSetIterator(trainReader, batch, 1, labels.size());
        DataSetIterator test = new RecordReaderDataSetIterator(testReader, 256, 1, labels.size());
        train.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        test.setPreProcessor(new ImagePreProcessingScaler(0, 1));

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.01, 0.9))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(labels.size())
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // The wrapper replaces shuffling: the images are read on demand, augmented anew every epoch, and served in
        // the order CD-GraB balances from their output-layer gradients.
        OrderedDataSetIterator ordered = OrderedDataSetIterator.builder()
                .setSource(train)
                .setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", seed))
                .build();
        net.fit(ordered, epochs);

        Evaluation eval = net.evaluate(test);
        return new Result(labels, eval.accuracy(), ordered.ordering().epoch());
    }

    /** The images of one split, refused with the folder's name when it is missing or holds none. */
    private static FileSplit images(File folder, Random random) {
        if (!folder.isDirectory()) {
            throw new IllegalArgumentException(folder + " is not a folder: expected " + folder.getName()
                    + "/<label>/<image> (png, jpg, ...) under the folder given");
        }
        FileSplit split = new FileSplit(folder, NativeImageLoader.ALLOWED_FORMATS, random);
        if (split.locations().length == 0) {
            throw new IllegalArgumentException(folder + " holds no images (" + String.join(", ",
                    NativeImageLoader.ALLOWED_FORMATS) + ") in its label folders");
        }
        return split;
    }
}
