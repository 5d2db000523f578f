package org.dgrab.dl4j.iterator;

import java.io.File;
import java.util.Iterator;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Trains on more data than the JVM's heap and ND4J's off-heap limit hold, in a JVM started with small limits by
 * {@link BigDataForkTest}. Arguments: {@code files DIR BATCHES ROWS} (write mini-batch files, then one CD-GraB epoch
 * over them; prints {@code trained N}) or {@code copy BATCHES ROWS} (wrap a plain iterator, which has to be copied;
 * prints the error and exits with 3).
 */
public final class BigDataMain {
    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    private BigDataMain() {
    }

    private static DataSet batch(int b, int rows) {
        Nd4j.getRandom().setSeed(b);
        DataSet d = new DataSet(Nd4j.rand(DataType.FLOAT, rows, FEATURES), Nd4j.zeros(DataType.FLOAT, rows, CLASSES));
        for (int r = 0; r < rows; r++) {
            d.getLabels().putScalar(r, (r + b) % CLASSES, 1.0);
        }
        return d;
    }

    /** Batches made when asked for, so that the source itself holds one at a time. */
    private static Iterable<DataSet> generated(int batches, int rows) {
        return () -> new Iterator<>() {
            int b;

            @Override
            public boolean hasNext() {
                return b < batches;
            }

            @Override
            public DataSet next() {
                return batch(b++, rows);
            }
        };
    }

    public static void main(String[] args) throws Exception {
        MultiLayerNetwork net = TestData.logreg(FEATURES, CLASSES, new Sgd(0.01), 1);
        if (args[0].equals("files")) {
            File dir = new File(args[1]);
            int batches = Integer.parseInt(args[2]);
            int rows = Integer.parseInt(args[3]);
            for (int b = 0; b < batches; b++) {
                batch(b, rows).save(new File(dir, String.format(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN, b)));
                System.gc();
            }
            OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                    .setSource(new ExistingMiniBatchDataSetIterator(dir)).setModel(net)
                    .optOrdering(OrderingConfig.of("cd-grab", 0)).build();
            net.fit(it, 1);
            System.out.println("trained " + it.batchesPerEpoch() + " epoch " + it.ordering().epoch());
            return;
        }
        int batches = Integer.parseInt(args[1]);
        int rows = Integer.parseInt(args[2]);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(generated(batches, rows))).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 0)).build();
        try {
            net.fit(it, 1);
            System.out.println("trained without copying limits");
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
