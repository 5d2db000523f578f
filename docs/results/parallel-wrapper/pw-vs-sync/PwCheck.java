import java.nio.file.Path;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** Scratch: ParallelWrapper (4 workers, averaging 1) on plain shuffled batches of 16 vs one model on batches of 64. */
public class PwCheck {
    public static void main(String[] a) throws Exception {
        DataSet train = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"), true, 10000);
        int workers = Integer.parseInt(a[0]);
        long seed = Long.parseLong(a[1]);
        List<DataSet> b16 = train.batchBy(16);
        MultiLayerNetwork pwNet = Models.mlp(784, 128, 10, new Sgd(0.05), seed);
        MultiLayerNetwork syncNet = pwNet.clone();
        Random rnd = new Random(seed);
        try (ParallelWrapper pw = new ParallelWrapper.Builder<>(pwNet).workers(workers).averagingFrequency(1).prefetchBuffer(0).build()) {
            for (int e = 1; e <= 10; e++) {
                List<DataSet> order = new ArrayList<>(b16);
                Collections.shuffle(order, rnd);
                pw.fit(new ExistingDataSetIterator(order));
                // Same order, joined: round j of the wrapper = batches j*w .. j*w+w-1 in one batch of 16*w.
                List<DataSet> joined = new ArrayList<>();
                for (int i = 0; i + workers <= order.size(); i += workers) {
                    joined.add(DataSet.merge(order.subList(i, i + workers)));
                }
                syncNet.fit(new ExistingDataSetIterator(joined));
                System.out.printf(Locale.ROOT, "epoch %d: PW %.4f  sync %.4f%n", e, pwNet.score(train), syncNet.score(train));
            }
        }
    }
}
