package org.dgrab.dl4j.iterator;

import java.io.File;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A process for {@link CrashSafeCheckpointTest}: trains an MLP with CD-GraB on the drop-in iterator and replaces one
 * checkpoint with {@link OrderingCheckpoint#save} after every epoch, {@code saves} times (0: until killed), printing
 * {@code saved <n>} after each. Arguments: {@code target saves}.
 */
public final class SaveLoopMain {
    private SaveLoopMain() {
    }

    /**
     * @param args target file, number of saves
     * @throws Exception on failure (the exit status is then non-zero, the message on stderr)
     */
    public static void main(String[] args) throws Exception {
        File target = new File(args[0]);
        int saves = Integer.parseInt(args[1]);
        // Wide enough that a checkpoint takes a while to write, so that kills land inside writes.
        MultiLayerNetwork net = TestData.mlp(64, 512, 3, new Sgd(0.01), 9);
        DataSet all = TestData.blobs(32, 64, 3, 11);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(TestData.batches(all, 8))).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).build();
        for (int n = 1; saves == 0 || n <= saves; n++) {
            net.fit(it);
            OrderingCheckpoint.save(target, net, it);
            System.out.println("saved " + n);
            System.out.flush();
        }
    }
}
