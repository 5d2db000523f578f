package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVPrinter;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.TextTable;

/**
 * Runs {@code dgrab cost} of this build and of another build side by side, each in a JVM of its own, alternating
 * which build runs first in each round ({@link CostComparison#sequence}), and prints the overhead of CD-GraB over the
 * baseline for both builds and their ratio: of the wall time and, where both builds record them, of the process's
 * and the training thread's CPU time (see {@link CostCommand}). Both children get the same arguments, the same JVM options (those of
 * this JVM, without agents and flight recordings) and the same environment (so {@code OMP_NUM_THREADS} holds for
 * both). The machine's load average is read before and after every child run and written beside the results,
 * since on a shared machine it decides how far the numbers can be trusted.
 */
final class CostComparisonRun {
    private static final String WALL = "wall";
    /**
     * What is compared, and the cost.csv column it comes from. Builds older than the CPU columns have the wall time
     * only; their CPU rows are left out.
     */
    private static final Map<String, String> MEASURES = new LinkedHashMap<>();

    static {
        MEASURES.put(WALL, "epoch_seconds");
        MEASURES.put("process CPU", "process_cpu_seconds");
        MEASURES.put("training-thread CPU", "train_thread_cpu_seconds");
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final Path outDir;
    private final String baseline;
    private final String order;

    /**
     * @param out      where the table and the summary line go
     * @param err      where progress goes
     * @param outDir   the comparison's output directory
     * @param baseline the baseline's order id
     * @param order    the measured order's id
     */
    CostComparisonRun(PrintWriter out, PrintWriter err, Path outDir, String baseline, String order) {
        this.out = out;
        this.err = err;
        this.outDir = outDir;
        this.baseline = baseline;
        this.order = order;
    }

    /**
     * Runs the rounds and reports.
     *
     * @param costArgs       the arguments given after {@code cost}
     * @param other          the other build ({@link CostComparison#buildOf})
     * @param rounds         rounds, each one run of both builds
     * @return 0
     * @throws IOException           if a result cannot be read or written
     * @throws IllegalStateException if a child run fails (the message names the build, the exit code, the command
     *                               and the end of its stderr)
     */
    int run(List<String> costArgs, CostComparison.Build other, int rounds) throws IOException {
        Files.createDirectories(outDir);
        Map<String, String> classpaths = Map.of(CostComparison.THIS, System.getProperty("java.class.path"),
                CostComparison.OTHER, String.join(java.io.File.pathSeparator, other.classpath()));
        Map<String, String> mains = Map.of(CostComparison.THIS, CostComparison.LAB_MAIN, CostComparison.OTHER,
                other.mainClass());
        List<String> sequence = CostComparison.sequence(rounds);
        // measure -> build -> granularity -> overhead per round
        Map<String, Map<String, Map<String, List<Double>>>> overheads = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        List<String> load = new ArrayList<>();
        for (int i = 0; i < sequence.size(); i++) {
            String build = sequence.get(i);
            int round = i / 2;
            Path dir = outDir.resolve(build + "-" + round);
            Files.createDirectories(dir);
            List<String> command = command(classpaths.get(build), mains.get(build),
                    CostComparison.childArgs(costArgs, dir));
            double before = loadAverage();
            String startedAt = java.time.Instant.now().toString();
            int code = launch(command, dir);
            double after = loadAverage();
            load.add(String.format(Locale.ROOT, "%s round %d %s: load average (1 min) %.2f before, %.2f after",
                    startedAt, round, build, before, after));
            if (code != 0) {
                throw new IllegalStateException("the " + build + " build's cost run (round " + round + ") exited with "
                        + code + "; command: " + String.join(" ", command) + "; end of its stderr ("
                        + dir.resolve("stderr.txt") + "):\n" + tail(dir.resolve("stderr.txt")));
            }
            for (Map.Entry<String, String> m : MEASURES.entrySet()) {
                Map<String, Double> o = CostComparison.overheads(
                        CostComparison.medians(dir.resolve(CostCommand.CSV), m.getValue()), baseline, order);
                for (Map.Entry<String, Double> e : o.entrySet()) {
                    overheads.computeIfAbsent(m.getKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(build, b -> new LinkedHashMap<>())
                            .computeIfAbsent(e.getKey(), g -> new ArrayList<>()).add(e.getValue());
                    rows.add(List.of(round, build, e.getKey(), m.getKey(),
                            String.format(Locale.ROOT, "%.2f", 100 * e.getValue()), fmt(before), fmt(after)));
                    err.printf(Locale.ROOT, "compare: round %d, %s build, %s, %s: %s %+.1f%% over %s (load %.2f -> %.2f)%n",
                            round, build, e.getKey(), m.getKey(), order, 100 * e.getValue(), baseline, before, after);
                }
            }
            err.flush();
        }
        report(overheads);
        try (CSVPrinter w = CsvFiles.create(outDir.resolve("compare.csv"), "round", "build", "granularity", "measure",
                "overhead_percent", "load_before", "load_after")) {
            w.printRecords(rows);
        }
        Files.write(outDir.resolve("load.txt"), load, StandardCharsets.UTF_8);
        err.println("compare: wrote " + outDir.resolve("compare.csv") + ", " + outDir.resolve("load.txt")
                + " and every run's cost.csv under " + outDir);
        err.flush();
        return 0;
    }

    /**
     * Prints per granularity and measure both builds' median overhead over the rounds, every round's, and their
     * ratio; the summary line has the wall-time overheads.
     */
    private void report(Map<String, Map<String, Map<String, List<Double>>>> overheads) {
        TextTable table = new TextTable("granularity", "measure", "this build (median over rounds)", "other build (median)",
                "ratio this/other of " + order + "/" + baseline, "this, per round", "other, per round");
        StringBuilder last = new StringBuilder("compare");
        for (String measure : MEASURES.keySet()) {
            Map<String, Map<String, List<Double>>> byBuild = overheads.getOrDefault(measure, Map.of());
            Map<String, List<Double>> mine = byBuild.getOrDefault(CostComparison.THIS, Map.of());
            Map<String, List<Double>> theirs = byBuild.getOrDefault(CostComparison.OTHER, Map.of());
            for (String g : mine.keySet()) {
                List<Double> a = mine.get(g);
                List<Double> b = theirs.get(g);
                if (b == null) {
                    continue;
                }
                double ma = CostComparison.median(a);
                double mb = CostComparison.median(b);
                double ratio = (1 + ma) / (1 + mb);
                table.row(g, measure, pct(ma), pct(mb), String.format(Locale.ROOT, "%.3f", ratio), join(a), join(b));
                if (measure.equals(WALL)) {
                    last.append(' ').append(g).append('=').append(pct(ma)).append(',').append(pct(mb)).append(',')
                            .append(String.format(Locale.ROOT, "%.3f", ratio));
                }
            }
        }
        table.print(out);
        out.println(last);
        out.flush();
    }

    /**
     * @param classpath the build's classpath
     * @param mainClass the build's main class
     * @param args      the child's arguments
     * @return the child's command line: this JVM's java with its options (without agents, debuggers and flight
     *         recordings, which would clash between the two), the classpath, the main class and the arguments
     */
    static List<String> command(String classpath, String mainClass, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")
                    && !a.contains("FlightRecord")) {
                c.add(a);
            }
        }
        c.add("-cp");
        c.add(classpath);
        c.add(mainClass);
        c.addAll(args);
        return c;
    }

    private static int launch(List<String> command, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + String.join(" ", command), e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String join(List<Double> v) {
        List<String> s = new ArrayList<>();
        for (double x : v) {
            s.add(pct(x));
        }
        return String.join(" ", s);
    }

    private static String pct(double overhead) {
        return String.format(Locale.ROOT, "%+.1f%%", 100 * overhead);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
