package org.dgrab.lab.bench;

import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatableReference;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which ND4J objects a training iteration leaves to the garbage collector (issue 22): every data buffer and op
 * context ND4J creates is registered with its {@code DeallocatorService} until the collector finds it unreachable
 * (or forever, if it stays reachable), so counting what that registry holds between two collections tells, per
 * trained batch, how many objects of which kind wait for the collector, and whether dgrab's reading path adds any.
 * Trains {@link SourceBench}'s MLP on mini-batch files with no listener of its own (a sampler thread reads the
 * model's iteration count), either as plain DL4J does or through dgrab's drop-in iterator.
 *
 * <pre>
 * DeallocationCensus plain DIR PERIOD_MS      net.fit(AsyncDataSetIterator(ExistingMiniBatchDataSetIterator(DIR)))
 * DeallocationCensus ORDER DIR PERIOD_MS      net.fit(ORDER, e.g. d-rr or cd-grab, over the same files), batch units
 * </pre>
 * Every PERIOD_MS it counts the registry's live referents by kind (buffer class, data type, length; closed, attached
 * to a workspace, or a view); for each window without a garbage collection it prints
 * {@code window,ITERATIONS,FIRST,LAST,TOTAL_PER_ITERATION} and one {@code kind,PER_ITERATION,KIND} line per kind of
 * at least 0.5 per iteration. A diagnostic: it reads ND4J's private registry by reflection.
 */
public final class DeallocationCensus {
    private final Map<String, DeallocatableReference> registry;
    private Map<String, Long> previous;
    private long previousCollections = -1;
    private int previousIteration;

    @SuppressWarnings("unchecked")
    private DeallocationCensus() throws ReflectiveOperationException {
        Object service = Nd4j.getDeallocatorService();
        Field f = service.getClass().getDeclaredField("referenceMap");
        f.setAccessible(true);
        registry = (Map<String, DeallocatableReference>) f.get(service);
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += b.getCollectionCount();
        }
        return n;
    }

    private static String kind(Deallocatable d) {
        if (d instanceof DataBuffer b) {
            return b.getClass().getSimpleName() + "/" + b.dataType() + "/" + b.length()
                    + (b.wasClosed() ? "/closed" : "") + (b.isAttached() ? "/attached" : "")
                    + (b.originalDataBuffer() != null ? "/view" : "");
        }
        return d.getClass().getSimpleName();
    }

    private Map<String, Long> count() {
        Map<String, Long> h = new HashMap<>();
        for (DeallocatableReference r : new ArrayList<>(registry.values())) {
            Deallocatable d = r.get();
            if (d != null) {
                h.merge(kind(d), 1L, Long::sum);
            }
        }
        return h;
    }

    /** Counts now; prints the per-iteration growth since the last count if no collection came between. */
    private void sample(int iteration) {
        long gcs = collections();
        Map<String, Long> now = count();
        if (previous != null && gcs == previousCollections && collections() == gcs && iteration > previousIteration) {
            int w = iteration - previousIteration;
            List<Map.Entry<String, Long>> grown = new ArrayList<>();
            long total = 0;
            for (Map.Entry<String, Long> e : now.entrySet()) {
                long d = e.getValue() - previous.getOrDefault(e.getKey(), 0L);
                total += d;
                grown.add(Map.entry(e.getKey(), d));
            }
            grown.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "window,%d,%d,%d,%.2f%n", w,
                    previousIteration, iteration, total / (double) w));
            for (Map.Entry<String, Long> e : grown) {
                if (e.getValue() >= w / 2.0) {
                    sb.append(String.format(Locale.ROOT, "kind,%.2f,%s%n", e.getValue() / (double) w, e.getKey()));
                }
            }
            System.out.print(sb);
        }
        previous = now;
        previousCollections = gcs;
        previousIteration = iteration;
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[1]);
        long period = Long.parseLong(args[2]);
        DeallocationCensus census = new DeallocationCensus();
        MultiLayerNetwork net = SourceBench.mlp();
        DataSetIterator it = args[0].equals("plain")
                ? new AsyncDataSetIterator(new ExistingMiniBatchDataSetIterator(dir))
                : OrderedDataSetIterator.builder().setSource(new ExistingMiniBatchDataSetIterator(dir)).setModel(net)
                        .optGranularity(Granularity.BATCH).optOrdering(OrderingConfig.of(args[0], 0)).build();
        Thread sampler = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(period);
                    census.sample(net.getIterationCount());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "census");
        sampler.setDaemon(true);
        sampler.start();
        net.fit(it);
        sampler.interrupt();
    }
}
