package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.diagnostics.HerdingSimulation;
import org.apache.commons.csv.CSVPrinter;
import org.dgrab.lab.report.CsvFiles;
import org.dgrab.lab.report.LineChart;
import org.dgrab.lab.report.ResultFiles;
import org.dgrab.lab.report.TextTable;
import org.dgrab.lab.report.Decimals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab herding}: the random-vector experiment of the CD-GraB paper. {@code n} workers each hold {@code m}
 * random unit vectors of dimension {@code d}; every ordering reorders them for several rounds, and the parallel
 * herding bound (largest coordinate of the running sum of centred vectors, summed over workers step by step) is
 * recorded after each round. Runs {@link HerdingSimulation}.
 *
 * <p>Prints a per-round table and as its last stdout line {@code herding cd-grab=<v> d-rr=<v> ...} (each
 * ordering's bound after the last round), then writes {@code herding.csv} ({@code strategy,round,bound}) and
 * {@code herding.png} (bound against round, log scale) into the output directory, each on its own
 * ({@link ResultFiles}). Without {@code --orders}
 * the paper's four orderings run and then {@code cd-grab-recursive}; {@code --depths} runs the recursive ordering
 * once per tree depth, then named {@code cd-grab-recursive-d<D>} (one depth keeps the plain name).
 */
@Command(name = "herding",
        sortOptions = false,
        description = {
                "Random-vector herding experiment of the CD-GraB paper: herding bound per round and ordering.",
                "",
                "n workers each hold m random unit vectors of dimension d; each ordering reorders them for R rounds, "
                        + "and the parallel herding bound of the orders is recorded after every round.",
                "",
                "Writes DIR/herding.csv (strategy,round,bound) and DIR/herding.png, prints a per-round table, and "
                        + "as the last line: herding cd-grab=<v> d-rr=<v> id-grab-mean=<v> id-grab-pair=<v> "
                        + "cd-grab-recursive=<v>",
                ""},
        footerHeading = "%nExample:%n",
        footer = "  ./dgrab herding --workers 8 --per-worker 20000 --rounds 5 --out runs/herding")
public final class HerdingCommand extends DgrabCommand {

    /** Name of the results file. */
    static final String CSV = "herding.csv";
    /** Name of the chart. */
    static final String PNG = "herding.png";
    /** Largest accepted {@code --dim}; the paper uses 16, and the bound is computed densely. */
    static final int MAX_DIM = 65_536;
    /** Largest accepted {@code --workers}. */
    static final int MAX_WORKERS = 65_536;
    /** Largest accepted {@code --per-worker}. */
    static final int MAX_PER_WORKER = 100_000_000;
    /** Largest accepted {@code --rounds}. */
    static final int MAX_ROUNDS = 100_000;
    /** Share of the maximum heap the vectors may take; strategies and the bound need the rest. */
    private static final double HEAP_SHARE = 0.6;

    @Option(names = "--dim", paramLabel = "D", defaultValue = "16",
            description = "Vector dimension d (default: ${DEFAULT-VALUE}, as in the paper; valid: 1.." + MAX_DIM + ").")
    private int dim;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8",
            description = "Number of workers n (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_WORKERS + ").")
    private int workers;

    @Option(names = "--per-worker", paramLabel = "M", defaultValue = "10000",
            description = "Vectors per worker m (default: ${DEFAULT-VALUE}; valid: 2.." + MAX_PER_WORKER
                    + "; n*m*d at most 2^31-1).")
    private int perWorker;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "10",
            description = "Reordering rounds after the common random start, round 0 (default: ${DEFAULT-VALUE}; "
                    + "valid: 0.." + MAX_ROUNDS + ").")
    private int rounds;

    @Mixin
    private OrderOptions orders;

    @Option(names = "--depths", paramLabel = "D", split = ",",
            description = {"Tree depths of cd-grab-recursive, comma-separated: one series each, named "
                    + "cd-grab-recursive-d<D> when more than one is given (default: "
                    + OrderingConfig.DEFAULT_DEPTH + "; valid: 0.." + OrderingConfig.MAX_DEPTH + ")."})
    private List<Integer> depths;

    @Mixin
    private RunOptions run;

    @Option(names = "--no-chart", description = "Skip herding.png (e.g. on a JVM without fonts).")
    private boolean noChart;

    /** Used by picocli. */
    public HerdingCommand() {
    }

    /**
     * Runs the experiment.
     *
     * @return 0 on success
     * @throws IOException if a result file cannot be written (after the results are printed; the message names the
     *                     file and its cause, and the files that were written stay)
     */
    @Override
    public Integer call() throws IOException {
        checkRange("--dim", dim, 1, MAX_DIM);
        checkRange("--workers", workers, 1, MAX_WORKERS);
        checkRange("--per-worker", perWorker, 2, MAX_PER_WORKER);
        checkRange("--rounds", rounds, 0, MAX_ROUNDS);
        long values = (long) workers * perWorker * dim;
        if (values > Integer.MAX_VALUE) {
            throw invalid("--per-worker", perWorker, "--workers x --per-worker x --dim = " + workers + " x "
                    + perWorker + " x " + dim + " = " + values + " values; at most " + Integer.MAX_VALUE);
        }
        long heap = Runtime.getRuntime().maxMemory();
        long needed = values * Double.BYTES;
        if (heap != Long.MAX_VALUE && needed > HEAP_SHARE * heap) {
            throw invalid("--per-worker", perWorker, "the vectors need " + mib(needed) + " MiB of heap and the JVM may "
                    + "use " + mib(heap) + " MiB; raise it, e.g. JAVA_OPTS=-Xmx" + (2 * needed / (1 << 30) + 1) + "g");
        }
        List<OrderingConfig.Kind> kinds = kinds();
        List<Integer> treeDepths = depths();
        Path outDir = run.outDir();
        // Fail now, not after minutes of simulation, if the results could not be written.
        checkOut(outDir);

        HerdingSimulation sim = HerdingSimulation.builder()
                .setWorkers(workers).setPerWorker(perWorker).optDim(dim).optRounds(rounds)
                .optSeed(run.seed()).optStrategies(kinds).optDepths(treeDepths).build();
        out().printf(Locale.ROOT, "herding: n=%d workers x m=%d vectors of dimension d=%d, %d rounds, seed %d, orders %s%s%n",
                workers, perWorker, dim, rounds, run.seed(), ids(kinds),
                kinds.contains(OrderingConfig.Kind.CD_GRAB_RECURSIVE) ? ", tree depths " + treeDepths : "");
        out().flush();

        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, double[]> results;
        try (Progress progress = progress("herding", (long) sim.configs().size() * (rounds + 1))) {
            long[] last = {System.nanoTime()};
            results = sim.run((strategy, round, bound) -> {
                long now = System.nanoTime();
                // Time between callbacks: reordering plus bound of one round (the first also creates the vectors).
                seconds.merge(strategy, (now - last[0]) / 1e9, Double::sum);
                last[0] = now;
                progress.step(String.format(Locale.ROOT, "%s round %d/%d bound %s", strategy, round, rounds, Decimals.significant(bound, 6)));
            });
        }

        // Results first: a file that cannot be written must not cost the results on screen.
        printTable(results);
        out().println("time per ordering (s): " + joinSeconds(seconds));
        StringBuilder last = new StringBuilder("herding");
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            double[] b = e.getValue();
            last.append(' ').append(e.getKey()).append('=').append(Decimals.significant(b[b.length - 1], 6));
        }
        out().println(last);
        out().flush();

        ResultFiles files = new ResultFiles(outDir);
        files.write(CSV, file -> writeCsv(results, file));
        if (!noChart) {
            files.write(PNG, file -> chart(results).writePng(file));
        }
        files.finish(err(), "the per-round table of every ordering's bound, the time per ordering and the summary "
                + "line (the bounds after the last round)");
        return 0;
    }

    /** The orderings: {@code --orders}, or the paper's four and the recursive ordering. */
    private List<OrderingConfig.Kind> kinds() {
        if (orders.given()) {
            return orders.kinds();
        }
        List<OrderingConfig.Kind> k = new ArrayList<>(orders.kinds());
        k.add(OrderingConfig.Kind.CD_GRAB_RECURSIVE);
        return k;
    }

    private List<Integer> depths() {
        if (depths == null) {
            return List.of(OrderingConfig.DEFAULT_DEPTH);
        }
        if (!kinds().contains(OrderingConfig.Kind.CD_GRAB_RECURSIVE)) {
            throw invalid("--depths", depths, "it applies to cd-grab-recursive, which --orders does not list");
        }
        for (Integer d : depths) {
            checkRange("--depths", d, 0, OrderingConfig.MAX_DEPTH);
        }
        checkDistinct("--depths", depths, String::valueOf);
        return List.copyOf(depths);
    }

    private LineChart chart(Map<String, double[]> results) {
        LineChart c = new LineChart(String.format(Locale.ROOT, "Parallel herding bound, n=%d, m=%d, d=%d, seed %d",
                workers, perWorker, dim, run.seed()), "round", "herding bound (log scale)").logY(true).integerX(true);
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int r = 0; r < x.length; r++) {
                x[r] = r;
            }
            c.series(e.getKey(), x, y);
        }
        return c;
    }

    private void printTable(Map<String, double[]> results) {
        String[] header = new String[results.size() + 1];
        header[0] = "round";
        int c = 1;
        for (String name : results.keySet()) {
            header[c++] = name;
        }
        TextTable t = new TextTable(header);
        for (int r = 0; r <= rounds; r++) {
            Object[] row = new Object[header.length];
            row[0] = r;
            c = 1;
            for (double[] b : results.values()) {
                row[c++] = Decimals.significant(b[r], 6);
            }
            t.row(row);
        }
        t.print(out());
    }

    /** Columns {@code strategy,round,bound}: one row per ordering and round, orderings in the order run. */
    private static void writeCsv(Map<String, double[]> results, Path file) throws IOException {
        try (CSVPrinter csv = CsvFiles.create(file, "strategy", "round", "bound")) {
            for (Map.Entry<String, double[]> e : results.entrySet()) {
                double[] b = e.getValue();
                for (int r = 0; r < b.length; r++) {
                    csv.printRecord(e.getKey(), r, Decimals.significant(b[r], 6));
                }
            }
        }
    }


    private static String ids(List<OrderingConfig.Kind> kinds) {
        StringBuilder s = new StringBuilder();
        for (OrderingConfig.Kind k : kinds) {
            s.append(s.length() == 0 ? "" : ",").append(k.id());
        }
        return s.toString();
    }

    private static String joinSeconds(Map<String, Double> seconds) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(Decimals.fixed(e.getValue(), 2));
        }
        return s.toString();
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
