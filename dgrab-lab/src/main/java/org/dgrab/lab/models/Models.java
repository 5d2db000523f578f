package org.dgrab.lab.models;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The networks of the lab's commands: LeNet-5 as in the CD-GraB paper's image task, a one-hidden-layer MLP, the paper's
 * two-layer LSTM language model, and logistic regression.
 *
 * <p>The initial weights are a function of the seed alone: ND4J 1.0.0-M2.1's CPU random generator does not repeat
 * its numbers after {@code Nd4j.getRandom().setSeed} (so the configuration's {@code seed} does not make DL4J's own
 * initialisation reproducible), hence {@link #initialise} overwrites the parameters with Xavier-normal weights
 * drawn from {@link java.util.Random} and zero biases, the same distribution DL4J's {@code WeightInit.XAVIER}
 * uses.
 */
public final class Models {
    private Models() {
    }

    /**
     * LeNet-5: conv 5x5x6, max-pool 2, conv 5x5x16, max-pool 2, dense 120, dense 84, softmax output.
     *
     * @param channels image channels (1 for Fashion-MNIST, 3 for CIFAR-10)
     * @param height   image height
     * @param width    image width
     * @param classes  classes
     * @param updater  updater (SGD, Nesterovs, Adam, ...)
     * @param seed     weight initialisation seed
     * @return an initialised network taking flat {@code [N, c*h*w]} or image {@code [N, c, h, w]} input
     */
    public static MultiLayerNetwork lenet(int channels, int height, int width, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        initialise(net, seed);
        return net;
    }

    /**
     * A one-hidden-layer perceptron: dense {@code hidden} with ReLU, softmax output.
     *
     * @param inputs  input size
     * @param hidden  hidden units
     * @param classes classes
     * @param updater updater
     * @param seed    weight initialisation seed
     * @return an initialised network
     */
    public static MultiLayerNetwork mlp(int inputs, int hidden, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        initialise(net, seed);
        return net;
    }

    /**
     * Multinomial logistic regression: one softmax {@code OutputLayer} with cross-entropy loss, no hidden layer.
     * Weights Xavier-normal, biases zero ({@link #initialise}).
     *
     * @param inputs  number of features
     * @param classes number of classes
     * @param updater updater
     * @param seed    weight initialisation seed
     * @return an initialised network taking {@code [N, inputs]}
     */
    public static MultiLayerNetwork logisticRegression(int inputs, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(inputs).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        initialise(net, seed);
        return net;
    }

    /**
     * The word-level LSTM language model of the GraB and CD-GraB papers: an embedding of the {@code vocab} words
     * into {@code size} dimensions, two LSTM layers of {@code size} units, and a softmax over the vocabulary at
     * every time step.
     *
     * <p>The output layer uses {@code SPARSE_MCXENT}: labels are word indices {@code [N, 1, T]}, not one-hot
     * {@code [N, V, T]} arrays, which for a real vocabulary (WikiText-2: 33,278 words) would not fit in memory
     * for a whole data set (DL4J builds the one-hot array of the current mini-batch only, inside the loss).
     * Every recurrent layer names its data format (NCW: {@code [N, features, T]}) explicitly: with the format left
     * unset, DL4J 1.0.0-M2.1's {@code RnnOutputLayer} compares the sequence lengths of input and labels on the
     * wrong dimension and rejects sparse labels.
     *
     * <p>Initialisation as in PyTorch's word_language_model, which the papers' code builds on: embedding and
     * output weights uniform in {@code [-0.1, 0.1]}, output bias 0, LSTM weights and biases uniform in
     * {@code [-1/sqrt(size), 1/sqrt(size)]}; drawn from {@code new Random(seed)}, so deterministic in the seed.
     *
     * @param vocab   vocabulary size V (embedding input and softmax output)
     * @param size    embedding and hidden size (32 in the papers)
     * @param bptt    sequence length (35 in the papers); inference accepts shorter sequences
     * @param updater updater
     * @param seed    weight initialisation seed
     * @return an initialised network taking word indices {@code [N, 1, T]} and giving probabilities
     *         {@code [N, V, T]}
     */
    public static MultiLayerNetwork lstmLanguageModel(int vocab, int size, int bptt, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .dataType(DataType.FLOAT).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(size).inputLength(bptt)
                        .outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(size).nOut(size).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(size).nOut(size).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NCW).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.SPARSE_MCXENT).nIn(size).nOut(vocab)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random random = new Random(seed);
        double lstm = 1 / Math.sqrt(size);
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            boolean recurrent = i == 1 || i == 2;
            for (Map.Entry<String, INDArray> e : layers[i].paramTable().entrySet()) {
                INDArray p = e.getValue();
                if (!recurrent && e.getKey().equals("b")) {
                    p.assign(0);
                    continue;
                }
                double range = recurrent ? lstm : 0.1;
                float[] values = new float[(int) p.length()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = (float) ((2 * random.nextDouble() - 1) * range);
                }
                p.assign(Nd4j.create(values, p.shape(), 'c').castTo(p.dataType()));
            }
        }
        return net;
    }

    /**
     * Sets every weight of dense, output and convolution layers to Xavier-normal values, {@code N(0, 2 / (fanIn +
     * fanOut))}, drawn from {@code new Random(seed)} layer by layer, and every bias to zero. Deterministic in the
     * seed, unlike DL4J's initialisation on ND4J's native random generator.
     *
     * @param net  an initialised network of dense, output, convolution and pooling layers
     * @param seed the seed
     */
    public static void initialise(MultiLayerNetwork net, long seed) {
        Random random = new Random(seed);
        for (Layer layer : net.getLayers()) {
            Map<String, INDArray> params = layer.paramTable();
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                INDArray p = e.getValue();
                if (e.getKey().equals("b")) {
                    p.assign(0);
                    continue;
                }
                if (!e.getKey().equals("W")) {
                    throw new IllegalArgumentException("unexpected parameter '" + e.getKey() + "' in layer "
                            + layer.getClass().getSimpleName());
                }
                long[] shape = p.shape();
                double fanIn;
                double fanOut;
                if (shape.length == 4) {
                    // Convolution weights [nOut, nIn, kH, kW], as DL4J computes the fans for them.
                    double receptive = shape[2] * shape[3];
                    fanIn = shape[1] * receptive;
                    fanOut = shape[0] * receptive;
                } else if (shape.length == 2) {
                    // Dense weights [nIn, nOut].
                    fanIn = shape[0];
                    fanOut = shape[1];
                } else {
                    throw new IllegalArgumentException("unexpected weight shape " + java.util.Arrays.toString(shape));
                }
                double std = Math.sqrt(2.0 / (fanIn + fanOut));
                float[] values = new float[(int) p.length()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
                p.assign(Nd4j.create(values, shape, 'c').castTo(p.dataType()));
            }
        }
    }
}
