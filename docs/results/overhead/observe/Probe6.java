import java.util.*;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;

/** CPU per observe of CD-GraB with 2,570-value double[] rows, 4 workers x 2,048 units (the MLP's last-layer units). */
public class Probe6 {
    public static void main(String[] a) {
        int workers = 4, units = 2048, dim = 2570, epochs = Integer.parseInt(a[0]);
        int[] per = new int[workers]; Arrays.fill(per, units);
        OrderingStrategy s = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(42).build().create(per);
        Random rng = new Random(1);
        double[][] rows = new double[64][dim];
        for (double[] r : rows) for (int i = 0; i < dim; i++) r[i] = rng.nextGaussian();
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int e = 0; e < epochs; e++) {
            long c0 = tm.getCurrentThreadCpuTime();
            // the trainer's order: per step, each worker observes 16 consecutive units
            for (int step = 0; step < units; step += 16)
                for (int w = 0; w < workers; w++)
                    for (int k = step; k < step + 16; k++) s.observe(w, k, rows[(k + w) & 63], 0, dim);
            s.endEpoch();
            long c1 = tm.getCurrentThreadCpuTime();
            if (e >= 2) System.out.printf(Locale.ROOT, "%d %.3f%n", e, (c1 - c0) / 1e3 / (workers * units));
        }
    }
}
