import java.lang.management.*;
import java.util.*;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.learning.config.Sgd;

public class Probe {
    public static void main(String[] a) throws Exception {
        String order = a[0]; Granularity g = Granularity.parse(a[1]); int epochs = Integer.parseInt(a[2]);
        var train = FashionMnist.loadSample(true, 8192);
        ExampleStore store = ExampleStore.of(List.of(train));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var net = Models.mlp(784, 256, FashionMnist.CLASSES, new Sgd(0.05), 42);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(store)
                .setOrdering(OrderingConfig.builder(OrderingConfig.Kind.parse(order)).optSeed(42).build())
                .optWorkers(4).optBatchSize(16).optGranularity(g).optAsyncOrdering(!Boolean.getBoolean("sync")).build()) {
            long mainId = Thread.currentThread().getId();
            long[] prev = new long[4];
            for (int e = 0; e < epochs; e++) {
                long w0 = System.nanoTime();
                t.fitEpoch();
                long wall = System.nanoTime() - w0;
                long cm = mx.getThreadCpuTime(mainId), co = 0, am = mx.getThreadAllocatedBytes(mainId), ao = 0;
                for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
                    if (ti != null && ti.getThreadName().equals("dgrab-ordering")) { co += mx.getThreadCpuTime(ti.getThreadId()); ao += mx.getThreadAllocatedBytes(ti.getThreadId()); }
                }
                if (e > 0) System.out.printf(Locale.ROOT, "%s %s epoch %d wall %.4f mainCpu %.4f orderingCpu %.4f mainAllocMB %.3f ordAllocMB %.3f%n", order, a[1], e, wall/1e9, (cm-prev[0])/1e9, (co-prev[1])/1e9, (am-prev[2])/1e6, (ao-prev[3])/1e6);
                prev[0]=cm; prev[1]=co; prev[2]=am; prev[3]=ao;
            }
        }
        System.exit(0);
    }
}
