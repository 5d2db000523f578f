import java.lang.management.*;
import java.util.*;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.learning.config.Sgd;

/** Alternates a d-rr and a cd-grab trainer epoch by epoch; prints per-epoch wall, main CPU, ordering CPU, then every thread's CPU per epoch by order. */
public class Probe7 {
    public static void main(String[] a) throws Exception {
        Granularity g = Granularity.parse(a[0]); int epochs = Integer.parseInt(a[1]); boolean sync = a.length > 2 && a[2].equals("sync");
        var train = FashionMnist.load(FashionMnist.DEFAULT_DIR, true, 8192);
        ExampleStore store = ExampleStore.of(List.of(train));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] orders = {"d-rr", "cd-grab"};
        DataParallelTrainer[] ts = new DataParallelTrainer[2];
        for (int i = 0; i < 2; i++) {
            ts[i] = DataParallelTrainer.builder().setModel(Models.mlp(784, 256, FashionMnist.CLASSES, new Sgd(0.05), 42)).setData(store)
                .setOrdering(OrderingConfig.builder(OrderingConfig.Kind.parse(orders[i])).optSeed(42).build())
                .optWorkers(4).optBatchSize(16).optGranularity(g).optAsyncOrdering(!sync).build();
        }
        long mainId = Thread.currentThread().getId();
        @SuppressWarnings("unchecked") Map<String, Long>[] acc = new Map[] {new TreeMap<String, Long>(), new TreeMap<String, Long>()};
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int e = 0; e < epochs; e++) {
            for (int k = 0; k < 2; k++) {
                int i = (e % 2 == 0) ? k : 1 - k;
                Map<String, Long> t0 = threads(mx);
                long c0 = mx.getThreadCpuTime(mainId), o0 = ordCpu(mx), p0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                ts[i].fitEpoch();
                long wall = System.nanoTime() - w0;
                long c1 = mx.getThreadCpuTime(mainId), o1 = ordCpu(mx), p1 = os.getProcessCpuTime();
                Map<String, Long> t1 = threads(mx);
                if (e >= 1) for (var en : t1.entrySet()) acc[i].merge(en.getKey(), en.getValue() - t0.getOrDefault(en.getKey(), 0L), Long::sum);
                if (e >= 1) System.out.printf(Locale.ROOT, "%s %d %.5f %.5f %.5f %.5f%n", orders[i], e, wall / 1e9, (c1 - c0) / 1e9, (o1 - o0) / 1e9, (p1 - p0) / 1e9);
            }
        }
        for (int i = 0; i < 2; i++) for (var en : acc[i].entrySet()) if (en.getValue() > 1_000_000L * (epochs - 1)) System.out.printf(Locale.ROOT, "THREAD %s %-36s %.4f%n", orders[i], en.getKey(), en.getValue() / 1e9 / (epochs - 1));
        for (java.io.File t : new java.io.File("/proc/self/task").listFiles()) {
            String comm = new String(java.nio.file.Files.readAllBytes(new java.io.File(t, "comm").toPath())).trim();
            if (!comm.equals("java") && !comm.startsWith("dgrab")) continue;
            for (String l : java.nio.file.Files.readAllLines(new java.io.File(t, "status").toPath()))
                if (l.contains("ctxt_switches")) System.out.println("CTX " + comm + " " + t.getName() + " " + l.replaceAll("\\s+", " "));
        }
        System.exit(0);
    }
    static Map<String, Long> threads(ThreadMXBean mx) {
        Map<String, Long> m = new HashMap<>();
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) if (ti != null) m.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), mx.getThreadCpuTime(ti.getThreadId()), Long::sum);
        return m;
    }
    static long ordCpu(ThreadMXBean mx) {
        long s = 0;
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) if (ti != null && ti.getThreadName().equals("dgrab-ordering")) s += mx.getThreadCpuTime(ti.getThreadId());
        return s;
    }
}
