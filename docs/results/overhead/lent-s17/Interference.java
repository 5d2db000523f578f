import java.util.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How much does work on the second vCPU slow the training thread on this VM? The main thread repeats the MLP's
 * forward gemm (16 x 784 times 784 x 256, single-threaded OpenBLAS) in windows of WINDOW_MS, while a second thread
 * does one of: nothing; an integer spin loop touching no memory; a floating-point loop on 4 KB (L1); copies of a
 * 814 KB array (the ordering thread's gradient-sized passes); the same copies for 10 % of the time. Conditions are
 * interleaved, REPEATS times. Prints per condition: median gemm time per call over its windows, and over "none".
 * With -Dfit=true the main thread instead fits the MLP (784-256-10, SGD) on one batch of 16 per call, the
 * trainer's own per-worker work. Args: REPEATS WINDOW_MS
 */
public class Interference {
    static boolean FIT = Boolean.getBoolean("fit");
    static volatile int mode;
    static volatile long sink;

    public static void main(String[] a) throws Exception {
        int repeats = Integer.parseInt(a[0]);
        long window = Long.parseLong(a[1]);
        String[] names = {"none", "int-spin", "fp-l1", "copy-814k", "copy-814k-10pct"};
        Thread side = new Thread(Interference::side, "side");
        side.setDaemon(true);
        side.start();
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 784), w = Nd4j.rand(DataType.FLOAT, 784, 256), out = Nd4j.create(DataType.FLOAT, 16, 256);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) org.dgrab.lab.models.Models.mlp(784, 256, 10, new org.nd4j.linalg.learning.config.Sgd(0.01), 42);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 10); for (int i = 0; i < 16; i++) y.putScalar(i, i % 10, 1f);
        org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(x, y);
        Runnable work = FIT ? () -> net.fit(batch) : () -> Nd4j.gemm(x, w, out, false, false, 1.0, 0.0);
        for (int i = 0; i < (FIT ? 3000 : 20000); i++) work.run();
        Map<String, List<Double>> per = new LinkedHashMap<>();
        for (String n : names) per.put(n, new ArrayList<>());
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < names.length; k++) {
                int m = (k + r) % names.length;
                mode = m;
                Thread.sleep(20);
                long t0 = System.nanoTime(), calls = 0;
                while (System.nanoTime() - t0 < window * 1_000_000L) {
                    for (int i = 0; i < 10; i++) work.run();
                    calls += 10;
                }
                per.get(names[m]).add((System.nanoTime() - t0) / 1e3 / calls);
            }
        }
        mode = 0;
        double base = median(per.get("none"));
        for (String n : names) {
            double med = median(per.get(n));
            System.out.printf(Locale.ROOT, "%-16s %8.2f us per call  %+6.1f %%  (windows: %s)%n", n, med, 100 * (med / base - 1),
                    per.get(n).stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
        }
        System.exit(0);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    static void side() {
        float[] src = new float[203_530], dst = new float[203_530], l1 = new float[1024];
        Arrays.fill(src, 1.5f);
        Arrays.fill(l1, 0.5f);
        long acc = 0;
        while (true) {
            switch (mode) {
                case 0 -> LockSupport_parkNanos(1_000_000);
                case 1 -> { for (int i = 0; i < 1_000_000; i++) acc = acc * 6364136223846793005L + 1442695040888963407L; sink = acc; }
                case 2 -> { float f = 0; for (int rep = 0; rep < 200; rep++) for (int i = 0; i < l1.length; i++) { l1[i] = l1[i] * 0.999f + 0.001f; } sink = (long) l1[3]; }
                case 3 -> System.arraycopy(src, 0, dst, 0, src.length);
                case 4 -> { long t = System.nanoTime(); System.arraycopy(src, 0, dst, 0, src.length); long d = System.nanoTime() - t; LockSupport_parkNanos(9 * d); }
                default -> { }
            }
        }
    }

    static void LockSupport_parkNanos(long n) {
        java.util.concurrent.locks.LockSupport.parkNanos(n);
    }
}
