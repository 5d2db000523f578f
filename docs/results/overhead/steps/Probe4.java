import java.lang.management.*;
import java.util.*;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Step-interleaved A/B inside one JVM: a D-RR and a CD-GraB trainer (same model, same synthetic data as
 * LastLayerStepBenchmark) take turns step by step; every pair of steps at the same position gives one ratio of wall
 * time, of training-thread CPU time and of process CPU time. Prints one line per pair after the warm-up:
 * pair wall_drr wall_cd cpu_drr cpu_cd proc_drr proc_cd (seconds).
 */
public class Probe4 {
    public static void main(String[] a) throws Exception {
        Granularity g = Granularity.parse(a[0]);
        int pairs = Integer.parseInt(a[1]);
        int warm = Integer.parseInt(a[2]);
        boolean sync = a.length > 3 && a[3].equals("sync");
        int n = 1024, in = 784, classes = 10;
        org.dgrab.core.random.SplitMix64 rng = new org.dgrab.core.random.SplitMix64(42);
        float[] x = new float[n * in]; float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) { for (int j = 0; j < in; j++) x[i * in + j] = (float) rng.nextDouble(); y[i * classes + rng.nextInt(classes)] = 1f; }
        DataSet ds = new DataSet(Nd4j.create(x, new long[] {n, in}, 'c').castTo(DataType.FLOAT), Nd4j.create(y, new long[] {n, classes}, 'c').castTo(DataType.FLOAT));
        ExampleStore store = ExampleStore.of(List.of(ds));
        String[] orders = {"d-rr", "cd-grab"};
        DataParallelTrainer[] t = new DataParallelTrainer[2];
        for (int i = 0; i < 2; i++) {
            t[i] = DataParallelTrainer.builder().setModel(Models.mlp(in, 256, classes, new Sgd(0.05), 42)).setData(store)
                .setOrdering(OrderingConfig.builder(OrderingConfig.Kind.parse(orders[i])).optSeed(42).build())
                .optWorkers(4).optBatchSize(16).optGranularity(g).optAsyncOrdering(!sync).build();
        }
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] w = new double[2], c = new double[2], p = new double[2];
        for (int k = 0; k < warm + pairs; k++) {
            for (int j = 0; j < 2; j++) {
                int i = (k % 2 == 0) ? j : 1 - j;
                long w0 = System.nanoTime(), c0 = tm.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime();
                t[i].step();
                w[i] = (System.nanoTime() - w0) / 1e9; c[i] = (tm.getCurrentThreadCpuTime() - c0) / 1e9; p[i] = (os.getProcessCpuTime() - p0) / 1e9;
            }
            if (k >= warm) System.out.printf(Locale.ROOT, "%d %.6f %.6f %.6f %.6f %.6f %.6f%n", k, w[0], w[1], c[0], c[1], p[0], p[1]);
        }
        System.exit(0);
    }
}
