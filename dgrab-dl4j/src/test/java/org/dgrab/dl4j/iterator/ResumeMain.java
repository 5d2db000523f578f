package org.dgrab.dl4j.iterator;

import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A training process for {@link ForkedResumeTest}: {@code net.fit} with CD-GraB and checkpoints, run in its own JVM.
 *
 * <p>Arguments: {@code mode dir granularity epochs stopEpoch stopIteration out}. Modes: {@code full} trains all
 * epochs; {@code stop-epoch} trains {@code stopEpoch} epochs with a checkpoint per epoch and exits;
 * {@code stop-iter} saves every {@code stopIteration} iterations and halts the JVM (no shutdown hooks, like a
 * killed process) right after the first such checkpoint; {@code resume} restores the last checkpoint in
 * {@code dir} and trains to {@code epochs}. Every mode writes, to {@code out}, one line per completed epoch with
 * that epoch's order and, at the end, the exact parameter bits.
 */
public final class ResumeMain {
    private ResumeMain() {
    }

    /**
     * Runs one training process.
     *
     * @param args see the class comment
     * @throws Exception on any failure (the exit status is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        File dir = new File(args[1]);
        Granularity g = Granularity.valueOf(args[2]);
        int epochs = Integer.parseInt(args[3]);
        int stopEpoch = Integer.parseInt(args[4]);
        int stopIteration = Integer.parseInt(args[5]);
        File out = new File(args[6]);
        MultiLayerNetwork net;
        if (mode.equals("resume")) {
            net = ModelSerializer.restoreMultiLayerNetwork(OrderingCheckpointListener.lastCheckpoint(dir), true);
        } else {
            net = TestData.mlp(5, 6, 3, new Sgd(0.1), 9);
        }
        DataSet all = TestData.blobs(48, 5, 3, 11);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(TestData.batches(all, 8))).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).optGranularity(g).build();
        try (PrintWriter w = new PrintWriter(out, StandardCharsets.UTF_8)) {
            net.addListeners(new BaseTrainingListener() {
                @Override
                public void onEpochEnd(Model model) {
                    // The order the epoch just trained with; the strategy moves on when the next epoch starts.
                    w.println("epoch " + ((MultiLayerNetwork) model).getEpochCount() + " "
                            + Arrays.toString(it.ordering().order(0)));
                    w.flush();
                }
            });
            switch (mode) {
                case "full":
                    net.fit(it, epochs);
                    break;
                case "stop-epoch":
                    net.addListeners(OrderingCheckpointListener.builder(dir, it).saveEveryNEpochs(1).build());
                    net.fit(it, stopEpoch);
                    return;
                case "stop-iter":
                    net.addListeners(OrderingCheckpointListener.builder(dir, it).saveEveryNIterations(stopIteration)
                            .build(), new BaseTrainingListener() {
                                @Override
                                public void onForwardPass(Model model, java.util.List<INDArray> activations) {
                                    // Runs after the checkpoint listener, which saves at this same call.
                                    if (((MultiLayerNetwork) model).getIterationCount() == stopIteration) {
                                        w.flush();
                                        Runtime.getRuntime().halt(0);
                                    }
                                }
                            });
                    net.fit(it, epochs);
                    throw new IllegalStateException("stop-iter never reached iteration " + stopIteration);
                case "resume":
                    OrderingCheckpoint.restore(OrderingCheckpointListener.lastCheckpoint(dir), it);
                    if (it.hasNext()) {
                        net.fit(it);  // the rest of the interrupted epoch
                    }
                    net.fit(it, epochs - net.getEpochCount());
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
            StringBuilder p = new StringBuilder("params");
            for (float f : TestData.params(net)) {
                p.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(f)));
            }
            w.println(p);
            w.println("counts " + net.getEpochCount() + " " + net.getIterationCount());
        }
    }
}
