import java.lang.management.*;
import java.util.*;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Issue 26, batch units: where does CD-GraB's extra training-thread CPU come from? In one JVM, trainers of the same
 * MLP (784-256-10, 4 workers x 16, 8,192 Fashion-MNIST images, SGD) take turns epoch by epoch, the order of the
 * trainers rotating each epoch:
 *   d-rr         D-RR (inline pipeline, no gradients read)
 *   lent-noop    D-RR wrapped to say it needs gradients and to drop them: the lent-replica pipeline and its
 *                hand-offs to the ordering thread, no reading
 *   lent-copy    as lent-noop, but each observe copies the gradient into a per-worker array (the memory traffic of
 *                OrderingWorker's copy of the first gradient of a pair, without the balancing)
 *   cd-grab      CD-GraB, asynchronous (the default)
 *   cd-grab-sync CD-GraB, ordering on the training thread
 * Prints per trainer and epoch: wall, training-thread CPU, ordering-thread CPU, process CPU (seconds).
 * Args: EPOCHS [trainer,...]
 */
public class Probe8 {
    public static void main(String[] a) throws Exception {
        int epochs = Integer.parseInt(a[0]);
        String[] names = (a.length > 1 ? a[1] : "d-rr,lent-noop,lent-copy,cd-grab,cd-grab-sync").split(",");
        var train = FashionMnist.load(FashionMnist.DEFAULT_DIR, true, 8192);
        DataParallelTrainer[] ts = new DataParallelTrainer[names.length];
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            String kind = n.startsWith("cd-grab") ? "cd-grab" : "d-rr";
            var b = DataParallelTrainer.builder().setModel(Models.mlp(784, 256, FashionMnist.CLASSES, new Sgd(0.05), 42)).setData(train)
                .setOrdering(OrderingConfig.builder(OrderingConfig.Kind.parse(kind)).optSeed(42).build())
                .optWorkers(4).optBatchSize(16).optGranularity(Granularity.BATCH).optAsyncOrdering(!n.endsWith("-sync"));
            if (n.startsWith("lent-")) b.optDecorator(s -> new Reading(s, n.equals("lent-copy")));
            ts[i] = b.build();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long mainId = Thread.currentThread().getId();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int e = 0; e < epochs; e++) {
            for (int k = 0; k < names.length; k++) {
                int i = (k + e) % names.length;
                long c0 = mx.getThreadCpuTime(mainId), o0 = ordCpu(mx), p0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                ts[i].fitEpoch();
                long wall = System.nanoTime() - w0;
                long c1 = mx.getThreadCpuTime(mainId), o1 = ordCpu(mx), p1 = os.getProcessCpuTime();
                if (e >= 1) System.out.printf(Locale.ROOT, "%s %d %d %.5f %.5f %.5f %.5f%n", names[i], e, k, wall / 1e9, (c1 - c0) / 1e9, (o1 - o0) / 1e9, (p1 - p0) / 1e9);
            }
        }
        System.exit(0);
    }

    /** Says it needs gradients; drops them, or copies each into a per-worker array. */
    static final class Reading extends ForwardingOrderingStrategy {
        final boolean copy;
        final INDArray[] scratch = new INDArray[4];
        Reading(OrderingStrategy d, boolean copy) { super(d); this.copy = copy; }
        @Override protected OrderingStrategy wrap(OrderingStrategy fresh) { return new Reading(fresh, copy); }
        @Override public boolean needsGradients() { return true; }
        @Override public void observe(int worker, int step, INDArray g) {
            if (!copy) return;
            if (scratch[worker] == null) scratch[worker] = g.reshape(g.length()).dup();
            else scratch[worker].assign(g.reshape(g.length()));
        }
        @Override public void observe(int worker, int step, double[] v, int off, int dim) { }
    }

    static long ordCpu(ThreadMXBean mx) {
        long s = 0;
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) if (ti != null && ti.getThreadName().equals("dgrab-ordering")) s += mx.getThreadCpuTime(ti.getThreadId());
        return s;
    }
}
