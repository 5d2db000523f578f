package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVPrinter;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.EpochStats;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.Decimals;
import org.dgrab.lab.report.TextTable;

/**
 * The epochs a {@link CostCommand} run measured: every epoch as a row of {@code cost.csv}, and per granularity and
 * ordering the values of its table, the warm-up epochs left out. Call order: {@link #add} for every epoch, then
 * {@link #report} per granularity and {@link #writeCsv}.
 */
final class CostMeasurements {
    private final List<List<Object>> csv = new ArrayList<>();
    private final Map<String, List<Double>> times = new LinkedHashMap<>();
    private final Map<String, List<Double>> ordering = new LinkedHashMap<>();
    private final Map<String, long[]> comm = new LinkedHashMap<>();
    // CPU seconds per epoch: on a shared machine the wall time mostly says how busy the others were; the training
    // thread's CPU time is what the epoch would take with a core to itself, the process's adds the ordering thread
    // (and GC), i.e. the total work the ordering costs.
    private final Map<String, List<Double>> trainCpu = new LinkedHashMap<>();
    private final Map<String, List<Double>> procCpu = new LinkedHashMap<>();

    /**
     * Records one epoch.
     *
     * @param g          the granularity
     * @param order      the ordering (or floor) id
     * @param repeat     the repeat
     * @param epoch      the epoch of the run; epoch 0 is the warm-up, written to the CSV but left out of the table
     * @param s          the trainer's statistics of the epoch
     * @param threadCpu  the training thread's CPU seconds in the epoch
     * @param processCpu the process's CPU seconds in the epoch
     */
    void add(Granularity g, String order, int repeat, int epoch, EpochStats s, double threadCpu, double processCpu) {
        csv.add(List.of(g.id(), order, repeat, epoch, Decimals.fixed(s.seconds(), 4),
                Decimals.fixed(s.orderingSeconds(), 4), s.messages(), s.bytes(), Decimals.fixed(threadCpu, 4),
                Decimals.fixed(processCpu, 4)));
        if (epoch > 0) {
            String key = g.id() + "/" + order;
            trainCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(threadCpu);
            procCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(processCpu);
            times.computeIfAbsent(key, k -> new ArrayList<>()).add(s.seconds());
            ordering.computeIfAbsent(key, k -> new ArrayList<>()).add(s.orderingSeconds());
            comm.put(key, new long[] {s.messages(), s.bytes()});
        }
    }

    /**
     * Adds a granularity's rows to the table and its CD-GraB overhead to the summary line. Medians describe a
     * typical epoch; minima are what survives interference from other processes on a shared machine (timing noise
     * only ever adds time), so the summary line uses the minima.
     *
     * @param g      the granularity
     * @param base   the baseline ordering's id
     * @param orders the orderings measured, the baseline among them
     * @param cdGrab CD-GraB's id, whose overhead goes into the summary line
     * @param table  the table to add rows to
     * @param last   the summary line so far
     */
    void report(Granularity g, String base, List<String> orders, String cdGrab, TextTable table, StringBuilder last) {
        List<Double> b = times.get(g.id() + "/" + base);
        double tb = CostComparison.median(b);
        double mb = min(b);
        for (String order : orders) {
            if (order.equals(base)) {
                continue;
            }
            String key = g.id() + "/" + order;
            List<Double> c = times.get(key);
            double tc = CostComparison.median(c);
            double mc = min(c);
            double oc = CostComparison.median(ordering.get(key));
            long[] comm1 = comm.get(key);
            table.row(g.id(), order, Decimals.fixed(tb, 3) + ", " + Decimals.fixed(mb, 3),
                    Decimals.fixed(tc, 3) + ", " + Decimals.fixed(mc, 3),
                    String.format(Locale.ROOT, "%+.1f%%, %+.1f%%", 100.0 * (tc - tb) / tb, 100.0 * (mc - mb) / mb),
                    String.format(Locale.ROOT, "%+.1f%%, %+.1f%%", 100.0 * cpuOverhead(trainCpu, g, base, order),
                            100.0 * cpuOverhead(procCpu, g, base, order)),
                    String.format(Locale.ROOT, "%.1f%%", 100.0 * oc / tc), comm1[0],
                    String.format(Locale.ROOT, "%.2f", comm1[1] / 1e6));
            if (order.equals(cdGrab)) {
                last.append(' ').append(g.id()).append('=')
                        .append(String.format(Locale.ROOT, "%+.1f%%", 100.0 * (mc - mb) / mb));
            }
        }
    }

    /**
     * @param file where to write {@code cost.csv}: every epoch, warm-ups included
     * @throws IOException if it cannot be written
     */
    void writeCsv(Path file) throws IOException {
        try (CSVPrinter w = CsvFiles.create(file, "granularity", "order", "repeat", "epoch", "epoch_seconds",
                "ordering_seconds", "messages", "bytes", "train_thread_cpu_seconds", "process_cpu_seconds")) {
            w.printRecords(csv);
        }
    }

    /** @return the median CPU seconds of an order's epochs over the baseline's, minus 1 */
    private static double cpuOverhead(Map<String, List<Double>> cpu, Granularity g, String base, String order) {
        return CostComparison.median(cpu.get(g.id() + "/" + order))
                / CostComparison.median(cpu.get(g.id() + "/" + base)) - 1;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
}
