package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The pieces of {@code dgrab cost --compare-to} that do not launch anything: which classpath runs the other build,
 * which arguments each child {@code cost} run gets, in which order the two builds run, and the overhead of
 * CD-GraB over the baseline read back from a {@code cost.csv}. {@link CostCommand} launches the runs.
 */
final class CostComparison {
    /**
     * The command line's main class, by name: {@code org.dgrab.lab.Main} registers the commands of this package, so
     * naming it as a class here would make the two packages a cycle (CostComparisonTest checks the name).
     */
    static final String LAB_MAIN = "org.dgrab.lab.Main";
    /** Label of the build that runs the comparison. */
    static final String THIS = "this";
    /** Label of the build named by {@code --compare-to}. */
    static final String OTHER = "other";
    /** Options of the comparison itself, which the child runs must not see. */
    private static final Set<String> OWN_OPTIONS = Set.of("--compare-to", "--rounds", "--out");

    private CostComparison() {
    }

    /**
     * Another dgrab build: its classpath and the class whose {@code main} runs {@code cost} there.
     *
     * @param classpath classpath entries, in order
     * @param mainClass the command line's main class ({@code org.dgrab.lab.Main}, or {@code org.dgrab.examples.Main}
     *                  in a checkout from before the lab had its own module)
     */
    record Build(List<String> classpath, String mainClass) {
    }

    /**
     * Another dgrab build, as the {@code ./dgrab} script puts it together: for a checkout directory, its modules'
     * {@code target/classes} (newest code first) and then the dependency list Maven wrote to
     * {@code dgrab-lab/target/classpath.txt} (in a checkout from before dgrab-lab, {@code dgrab-examples/target/...}
     * and {@code org.dgrab.examples.Main}, so that today's build can be compared with an older one); for a jar, the
     * jar and the {@code classpath.txt} beside it, if any (a self-contained jar needs none).
     *
     * @param dirOrJar the other build's checkout root, or a jar
     * @return the build
     * @throws IOException              if {@code classpath.txt} cannot be read
     * @throws IllegalArgumentException if the path is neither a built checkout nor a jar (the message says what was
     *                                  looked for)
     */
    static Build buildOf(Path dirOrJar) throws IOException {
        if (Files.isDirectory(dirOrJar)) {
            boolean before = !Files.isDirectory(dirOrJar.resolve("dgrab-lab"))
                    && Files.isDirectory(dirOrJar.resolve("dgrab-examples"));
            String home = before ? "dgrab-examples" : "dgrab-lab";
            String mainClass = before ? "org.dgrab.examples.Main" : LAB_MAIN;
            Path cpFile = dirOrJar.resolve(home + "/target/classpath.txt");
            Path main = dirOrJar.resolve(home + "/target/classes/" + mainClass.replace('.', '/') + ".class");
            if (!Files.isRegularFile(cpFile) || !Files.isRegularFile(main)) {
                throw new IllegalArgumentException(dirOrJar + " is not a built dgrab checkout: expected "
                        + cpFile + " and " + main + " (build it there with 'mvn -B -o package -DskipTests', not "
                        + "'mvn install', or run its ./dgrab once)");
            }
            List<String> cp = new ArrayList<>();
            List<String> modules = before ? List.of("dgrab-examples", "dgrab-dl4j", "dgrab-core")
                    : List.of("dgrab-lab", "dgrab-examples", "dgrab-dl4j", "dgrab-core");
            for (String module : modules) {
                cp.add(dirOrJar.resolve(module).resolve("target/classes").toString());
            }
            cp.addAll(entries(cpFile));
            return new Build(cp, mainClass);
        }
        if (Files.isRegularFile(dirOrJar) && dirOrJar.getFileName().toString().endsWith(".jar")) {
            List<String> cp = new ArrayList<>();
            cp.add(dirOrJar.toString());
            Path parent = dirOrJar.toAbsolutePath().getParent();
            Path cpFile = parent == null ? null : parent.resolve("classpath.txt");
            if (cpFile != null && Files.isRegularFile(cpFile)) {
                cp.addAll(entries(cpFile));
            }
            return new Build(cp, LAB_MAIN);
        }
        throw new IllegalArgumentException(dirOrJar + " is neither a directory (a built dgrab checkout) nor a .jar file");
    }

    private static List<String> entries(Path cpFile) throws IOException {
        String text = Files.readString(cpFile, StandardCharsets.UTF_8).strip();
        List<String> out = new ArrayList<>();
        for (String e : text.split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The arguments of one child {@code cost} run: the comparison's own, without {@code --compare-to},
     * {@code --rounds} and {@code --out} (in either the {@code --opt value} or the {@code --opt=value} form), and
     * with the child's output directory.
     *
     * @param costArgs the arguments that followed {@code cost} on the command line
     * @param out      the child's output directory
     * @return the child's arguments, starting with {@code cost}
     */
    static List<String> childArgs(List<String> costArgs, Path out) {
        List<String> args = new ArrayList<>();
        args.add("cost");
        for (int i = 0; i < costArgs.size(); i++) {
            String a = costArgs.get(i);
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            if (OWN_OPTIONS.contains(name)) {
                if (eq < 0) {
                    i++; // skip the value too
                }
                continue;
            }
            args.add(a);
        }
        args.add("--out");
        args.add(out.toString());
        return args;
    }

    /**
     * Which build runs when: round {@code r} runs both, this build first in even rounds and the other first in odd
     * ones, so that neither always inherits the other's garbage or the machine's drift.
     *
     * @param rounds number of rounds, {@code >= 1}
     * @return per run, {@link #THIS} or {@link #OTHER}, {@code 2 * rounds} entries
     */
    static List<String> sequence(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        List<String> s = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            s.addAll(r % 2 == 0 ? List.of(THIS, OTHER) : List.of(OTHER, THIS));
        }
        return s;
    }

    /**
     * Median epoch times of a {@code cost.csv}, per granularity and order, leaving out each run's first epoch (the
     * warm-up), as {@code dgrab cost} does. Reads the columns by name, so older builds' files work too.
     *
     * @param csv the file
     * @return granularity, then order, then the median epoch seconds
     * @throws IOException if the file cannot be read or lacks a column (the message names the file and the column)
     */
    static Map<String, Map<String, Double>> medianEpochs(Path csv) throws IOException {
        return medians(csv, "epoch_seconds");
    }

    /**
     * Like {@link #medianEpochs}, for any per-epoch column.
     *
     * @param csv    the file
     * @param column the column, e.g. {@code process_cpu_seconds}
     * @return granularity, then order, then the median; empty if the file has no such column (older builds wrote
     *         no CPU times)
     * @throws IOException if the file cannot be read or lacks one of the key columns
     */
    static Map<String, Map<String, Double>> medians(Path csv, String column) throws IOException {
        Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            Iterable<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r);
            for (CSVRecord row : rows) {
                for (String key : List.of("granularity", "order", "epoch", "epoch_seconds")) {
                    if (!row.isMapped(key)) {
                        throw new IOException(csv + " has no column '" + key
                                + "'; expected the cost.csv of dgrab cost (granularity,order,repeat,epoch,epoch_seconds,...)");
                    }
                }
                if (!row.isMapped(column)) {
                    return Map.of();
                }
                if (Integer.parseInt(row.get("epoch")) == 0) {
                    continue;
                }
                times.computeIfAbsent(row.get("granularity"), g -> new LinkedHashMap<>())
                        .computeIfAbsent(row.get("order"), o -> new ArrayList<>())
                        .add(Double.parseDouble(row.get(column)));
            }
        }
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        times.forEach((g, byOrder) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            byOrder.forEach((o, v) -> m.put(o, median(v)));
            medians.put(g, m);
        });
        return medians;
    }

    /**
     * @param medians  {@link #medianEpochs} of one run
     * @param baseline the baseline's order id (e.g. {@code d-rr})
     * @param order    the measured order's id (e.g. {@code cd-grab})
     * @return per granularity where both were measured, the overhead {@code t_order / t_baseline - 1}
     */
    static Map<String, Double> overheads(Map<String, Map<String, Double>> medians, String baseline, String order) {
        Map<String, Double> o = new LinkedHashMap<>();
        medians.forEach((g, m) -> {
            Double b = m.get(baseline);
            Double c = m.get(order);
            if (b != null && c != null && b > 0) {
                o.put(g, c / b - 1);
            }
        });
        return o;
    }

    /**
     * @param v values, not empty
     * @return their median (the mean of the middle two for an even count)
     */
    static double median(List<Double> v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        // Percentile's default estimate at 50 is the middle value, or the mean of the two middle ones.
        return new Median().evaluate(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
