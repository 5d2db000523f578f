import java.nio.file.Path;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Scratch (no dgrab class): where DL4J 1.0.0-M2.1's ParallelWrapper (averaging 1, prefetch 0) departs from synchronous
 * SGD. Fashion-MNIST first 10,000 images, batches of 16, MLP 784-128-10, SGD lr 0.05, 4 workers.
 *   race          one round of 4 batches from the same weights, 5 times: distance to A (the average of 4 replica steps
 *                 from those weights: synchronous SGD) and to B (replicas 1-3 start from worker 0's updated weights)
 *   epochs S keep|drop   8 epochs of shuffled batches (seed S), all 625 batches (keep: the last round is one batch)
 *                 or the first 624: ParallelWrapper, ParallelWrapper whose first batch of each fit is held back
 *                 0.5 s (so the replicas copy the weights before worker 0 trains), and one model on the same rounds
 *                 joined into one batch (the lone last batch alone).
 */
public class PwRounds {
    static final int WORKERS = 4;

    /** Holds back the first batch of every pass, so that ParallelWrapper's replicas exist before worker 0 trains. */
    static final class Delayed extends ExistingDataSetIterator {
        private boolean first = true;

        Delayed(List<DataSet> l) {
            super(l);
        }

        @Override
        public DataSet next() {
            if (first) {
                first = false;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return super.next();
        }
    }

    static INDArray step(MultiLayerNetwork from, DataSet d) {
        MultiLayerNetwork m = from.clone();
        m.fit(d);
        return m.params().dup();
    }

    static double dist(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    public static void main(String[] a) throws Exception {
        DataSet train = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"), true, 10000);
        List<DataSet> b16 = train.batchBy(16);
        if (a[0].equals("race")) {
            MultiLayerNetwork init = Models.mlp(784, 128, 10, new Sgd(0.05), 0);
            List<DataSet> round = b16.subList(0, WORKERS);
            INDArray sync = init.params().mul(0);
            for (DataSet d : round) {
                sync.addi(step(init, d));
            }
            sync.divi(WORKERS);
            MultiLayerNetwork after0 = init.clone();
            after0.fit(round.get(0));
            INDArray late = after0.params().dup();
            for (int i = 1; i < WORKERS; i++) {
                late.addi(step(after0, round.get(i)));
            }
            late.divi(WORKERS);
            System.out.printf(Locale.ROOT, "one round: max|A-B| %.3e, max|A-initial| %.3e%n", dist(sync, late), dist(sync, init.params()));
            for (int trial = 0; trial < 5; trial++) {
                MultiLayerNetwork net = init.clone();
                try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(WORKERS).averagingFrequency(1).prefetchBuffer(0).build()) {
                    pw.fit(new ExistingDataSetIterator(round));
                }
                System.out.printf(Locale.ROOT, "trial %d: max|PW-A| %.3e  max|PW-B| %.3e%n", trial, dist(net.params(), sync), dist(net.params(), late));
            }
            return;
        }
        long seed = Long.parseLong(a[1]);
        boolean keep = a[2].equals("keep");
        MultiLayerNetwork pwNet = Models.mlp(784, 128, 10, new Sgd(0.05), seed);
        MultiLayerNetwork heldNet = pwNet.clone();
        MultiLayerNetwork syncNet = pwNet.clone();
        Random rnd = new Random(seed);
        try (ParallelWrapper pw = new ParallelWrapper.Builder<>(pwNet).workers(WORKERS).averagingFrequency(1).prefetchBuffer(0).build();
             ParallelWrapper held = new ParallelWrapper.Builder<>(heldNet).workers(WORKERS).averagingFrequency(1).prefetchBuffer(0).build()) {
            for (int e = 1; e <= 8; e++) {
                List<DataSet> order = new ArrayList<>(b16);
                Collections.shuffle(order, rnd);
                if (!keep) {
                    order = order.subList(0, order.size() / WORKERS * WORKERS);
                }
                pw.fit(new ExistingDataSetIterator(order));
                held.fit(new Delayed(order));
                List<DataSet> joined = new ArrayList<>();
                for (int i = 0; i < order.size(); i += WORKERS) {
                    joined.add(DataSet.merge(order.subList(i, Math.min(order.size(), i + WORKERS))));
                }
                syncNet.fit(new ExistingDataSetIterator(joined));
                System.out.printf(Locale.ROOT, "%s seed %d epoch %d: train loss PW %.4f  PW held %.4f  sync %.4f   max|held-sync| %.2e  max|PW-sync| %.2e%n",
                        keep ? "625 batches" : "624 batches", seed, e, pwNet.score(train), heldNet.score(train), syncNet.score(train),
                        dist(heldNet.params(), syncNet.params()), dist(pwNet.params(), syncNet.params()));
            }
        }
    }
}
