import java.nio.file.Path;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** Which unit of worker 0 is trained alone in the partial last round, epoch by epoch, for CD-GraB and D-RR. */
public class LastUnit {
    public static void main(String[] a) throws Exception {
        DataSet train = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"), true, 10000);
        for (String kind : new String[] {"cd-grab", "d-rr"}) {
            for (long seed = 0; seed < 3; seed++) {
                MultiLayerNetwork net = Models.mlp(784, 128, 10, new Sgd(0.05), seed);
                OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(train.batchBy(16)))
                        .setModel(net).optOrdering(OrderingConfig.of(kind, seed)).optGranularity(Granularity.BATCH).optParallelWrapper(4).build();
                StringBuilder sb = new StringBuilder(kind + " seed " + seed + ": last unit of worker 0 per epoch:");
                try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(4).averagingFrequency(1).prefetchBuffer(0).build()) {
                    for (int e = 0; e < 10; e++) {
                        int[] o = it.ordering().order(0);
                        sb.append(' ').append(o[o.length - 1]);
                        pw.fit(it);
                    }
                }
                System.out.println(sb + String.format(Locale.ROOT, "  final loss %.4f", net.score(train)));
            }
        }
    }
}
