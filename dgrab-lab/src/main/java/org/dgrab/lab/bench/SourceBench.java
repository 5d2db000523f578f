package org.dgrab.lab.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * What reading on demand costs, one configuration per JVM (so that peak RSS, from {@code /usr/bin/time}, belongs to
 * it): an MLP 784-128-10 trained with plain SGD on synthetic 784-value examples of 10 classes, by DL4J's own
 * pipeline or through dgrab's drop-in iterator. Driven by {@code docs/results/on-demand/run.sh}, which interleaves
 * the configurations and writes the CSV.
 *
 * <pre>
 * write-files DIR N BATCH            N examples as DataSet files of BATCH (ExistingMiniBatchDataSetIterator's names)
 * files-plain DIR EPOCHS             net.fit(AsyncDataSetIterator(ExistingMiniBatchDataSetIterator(DIR)))
 * files-dgrab DIR EPOCHS [ORDER]     net.fit(ORDER, default cd-grab, over ExistingMiniBatchDataSetIterator(DIR)),
 *                                    batch units (d-rr: the same data path without the ordering's arithmetic)
 * memory-plain N BATCH EPOCHS        net.fit(AsyncDataSetIterator(ExistingDataSetIterator(batches in memory)))
 * memory-dgrab N BATCH EPOCHS GRAN   net.fit(CD-GraB over ExistingDataSetIterator(batches in memory)), GRAN units
 * images-plain ROOT N EPOCHS         net.fit(AsyncDataSetIterator(RecordReaderDataSetIterator(ImageRecordReader over
 *                                    the first N images of ROOT/train))), batches of 64 (make-images layout)
 * images-dgrab ROOT N EPOCHS         net.fit(CD-GraB over that RecordReaderDataSetIterator, read on demand), example units
 * </pre>
 * Each training mode prints one line per epoch: {@code epoch,E,SECONDS}.
 */
public final class SourceBench {
    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    private SourceBench() {
    }

    /** Class centres, one row per class. */
    private static final INDArray CENTRES;

    static {
        java.util.Random rng = new java.util.Random(1);
        float[][] c = new float[CLASSES][FEATURES];
        for (float[] row : c) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = (float) (rng.nextGaussian() * 0.5);
            }
        }
        CENTRES = Nd4j.createFromArray(c);
    }

    /** A batch of examples around 10 fixed class centres: a learnable task whose bytes look like real data. */
    static DataSet batch(long first, int rows) {
        INDArray y = Nd4j.create(DataType.FLOAT, rows, CLASSES);
        for (int r = 0; r < rows; r++) {
            y.putScalar(r, (int) ((first + r) % CLASSES), 1.0);
        }
        Nd4j.getRandom().setSeed(first);
        INDArray x = Nd4j.randn(DataType.FLOAT, rows, FEATURES).addi(y.mmul(CENTRES));
        return new DataSet(x, y);
    }

    static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01))
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void train(MultiLayerNetwork net, DataSetIterator it, int epochs) {
        System.out.printf(Locale.ROOT, "rss,before,%d%n", org.bytedeco.javacpp.Pointer.physicalBytes());
        it.hasNext();
        System.out.printf(Locale.ROOT, "rss,opened,%d%n", org.bytedeco.javacpp.Pointer.physicalBytes());
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            net.fit(it);
            it.reset();
            System.out.printf(Locale.ROOT, "epoch,%d,%.3f%n", e, (System.nanoTime() - t0) / 1e9);
            // The Java heap's committed bytes beside the RSS: tells heap growth from off-heap garbage.
            System.out.printf(Locale.ROOT, "rss,epoch%d,%d,%d%n", e, org.bytedeco.javacpp.Pointer.physicalBytes(),
                    Runtime.getRuntime().totalMemory());
        }
    }

    private static OrderedDataSetIterator ordered(DataSetIterator source, MultiLayerNetwork net, Granularity g) {
        return ordered(source, net, g, "cd-grab");
    }

    private static OrderedDataSetIterator ordered(DataSetIterator source, MultiLayerNetwork net, Granularity g,
                                                  String order) {
        return OrderedDataSetIterator.builder().setSource(source).setModel(net).optGranularity(g)
                .optOrdering(OrderingConfig.of(order, 0)).build();
    }

    private static DataSetIterator images(String root, int n) throws java.io.IOException {
        return org.dgrab.lab.data.ImageFolder.open(java.nio.file.Path.of(root), "train", null, n)
                .iterator(1, 28, 28, 64, null);
    }

    private static List<DataSet> inMemory(long n, int batch) throws InterruptedException {
        List<DataSet> out = new ArrayList<>();
        for (long first = 0; first < n; first += batch) {
            out.add(batch(first, (int) Math.min(batch, n - first)));
        }
        // Generating the batches leaves off-heap garbage of its own; collect it so that every configuration starts
        // from its live data only (ND4J frees off-heap memory after the collection, on its deallocator thread).
        System.gc();
        Thread.sleep(500);
        return out;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write-files" -> {
                File dir = new File(args[1]);
                long n = Long.parseLong(args[2]);
                int b = Integer.parseInt(args[3]);
                dir.mkdirs();
                int k = 0;
                for (long first = 0; first < n; first += b) {
                    batch(first, (int) Math.min(b, n - first))
                            .save(new File(dir, String.format(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN, k++)));
                }
                System.out.println("wrote " + k + " files");
            }
            case "files-plain" -> train(mlp(), new AsyncDataSetIterator(
                    new ExistingMiniBatchDataSetIterator(new File(args[1]))), Integer.parseInt(args[2]));
            case "files-dgrab" -> {
                MultiLayerNetwork net = mlp();
                train(net, ordered(new ExistingMiniBatchDataSetIterator(new File(args[1])), net, Granularity.BATCH,
                        args.length > 3 ? args[3] : "cd-grab"), Integer.parseInt(args[2]));
            }
            case "memory-plain" -> {
                List<DataSet> data = inMemory(Long.parseLong(args[1]), Integer.parseInt(args[2]));
                train(mlp(), new AsyncDataSetIterator(new ExistingDataSetIterator(data)), Integer.parseInt(args[3]));
            }
            case "memory-dgrab" -> {
                List<DataSet> data = inMemory(Long.parseLong(args[1]), Integer.parseInt(args[2]));
                MultiLayerNetwork net = mlp();
                train(net, ordered(new ExistingDataSetIterator(data), net, Granularity.valueOf(args[4])),
                        Integer.parseInt(args[3]));
            }
            case "images-plain" -> train(mlp(), new AsyncDataSetIterator(images(args[1], Integer.parseInt(args[2]))),
                    Integer.parseInt(args[3]));
            case "images-dgrab" -> {
                MultiLayerNetwork net = mlp();
                train(net, ordered(images(args[1], Integer.parseInt(args[2])), net, Granularity.EXAMPLE_LAST_LAYER),
                        Integer.parseInt(args[3]));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
