import java.nio.file.Path;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.experiment.ClassificationEvaluator;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The partial-last-round swing (issue 24): 10,000 Fashion-MNIST images, batches of 16 (625), ParallelWrapper with 4
 * workers, averaging 1, batch units: worker 0 has 157 batches (contiguous block 0..156), the others 156, so worker
 * 0's last batch is trained alone (weight 1) at the end of every epoch. Per ordering, seed and run, epoch by epoch:
 * worker 0's order (before the epoch), whether its last unit is the unit it trained second in the previous epoch
 * and whether its first unit is the previous epoch's first, the lone batch's loss at the start of the epoch (rank
 * among worker 0's 157 batches, 1 = highest loss), the rounds since that batch was last trained, and the train loss
 * after the epoch. Args: ORDERS SEEDS RUNS, e.g. cd-grab,d-rr 0,1,2 2.
 */
public class SwingProbe {
    public static void main(String[] a) throws Exception {
        String[] kinds = a[0].split(",");
        String[] seeds = a[1].split(",");
        int runs = Integer.parseInt(a[2]);
        int epochs = 10;
        DataSet train = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"), true, 10000);
        List<DataSet> batches = train.batchBy(16);
        for (String kind : kinds) {
            for (String s : seeds) {
                long seed = Long.parseLong(s);
                for (int run = 1; run <= runs; run++) {
                    MultiLayerNetwork net = Models.mlp(784, 128, 10, new Sgd(0.05), seed);
                    OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                            .setSource(new ExistingDataSetIterator(batches)).setModel(net)
                            .optOrdering(OrderingConfig.of(kind, seed)).optGranularity(Granularity.BATCH)
                            .optParallelWrapper(4).build();
                    int[][] orders = new int[epochs][];
                    try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(4).averagingFrequency(1)
                            .prefetchBuffer(0).build()) {
                        for (int e = 0; e < epochs; e++) {
                            int[] o = it.ordering().order(0);
                            orders[e] = o;
                            int m = o.length;
                            int lone = o[m - 1];
                            // Loss of each of worker 0's batches at the start of the epoch.
                            double[] bl = new double[m];
                            double mean = 0;
                            for (int j = 0; j < m; j++) {
                                bl[j] = net.score(batches.get(j), false);
                                mean += bl[j] / m;
                            }
                            int rank = 1;
                            for (int j = 0; j < m; j++) {
                                rank += bl[j] > bl[lone] ? 1 : 0;
                            }
                            String since = "-";
                            if (e > 0) {
                                int pos = -1;
                                for (int k = 0; k < m; k++) {
                                    if (orders[e - 1][k] == lone) {
                                        pos = k;
                                    }
                                }
                                since = Integer.toString((m - 1 - pos) + (m - 1)); // rounds between its two visits
                            }
                            String claim = e == 0 ? "-" : Boolean.toString(lone == orders[e - 1][1]);
                            String first = e == 0 ? "-" : Boolean.toString(o[0] == orders[e - 1][0]);
                            pw.fit(it);
                            double loss = ClassificationEvaluator.loss(net, train);
                            System.out.printf(Locale.ROOT,
                                    "%s seed %d run %d epoch %d: lone %d last=prev-second %s first=prev-first %s "
                                            + "lone-loss %.4f mean %.4f rank %d rounds-since %s train-loss %.4f%n",
                                    kind, seed, run, e + 1, lone, claim, first, bl[lone], mean, rank, since, loss);
                        }
                    }
                    StringBuilder sb = new StringBuilder(kind + " seed " + seed + " run " + run + " orders:");
                    for (int[] o : orders) {
                        sb.append(' ').append(Arrays.toString(o).replace(" ", ""));
                    }
                    System.out.println(sb);
                    System.out.flush();
                }
            }
        }
    }
}
