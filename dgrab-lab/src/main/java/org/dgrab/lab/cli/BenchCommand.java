package org.dgrab.lab.cli;

import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code dgrab bench}: runs the JMH benchmarks of {@code org.dgrab.lab.bench} by handing every argument, in
 * order and unchanged, to {@code org.openjdk.jmh.Main}. So {@code ./dgrab bench BalanceStepBenchmark -f 1 -wi 3}
 * is exactly {@code java org.openjdk.jmh.Main BalanceStepBenchmark -f 1 -wi 3} on the lab's classpath, and
 * {@code ./dgrab bench -h} shows JMH's own options ({@code -l} lists the benchmarks).
 *
 * <p>JMH forks benchmark JVMs with the same classpath and prints results to stdout itself. The arguments are parsed
 * with JMH's own parser first, so that invalid JMH options exit with code 2 like every other command's; JMH itself
 * ends the JVM with exit code 1 when no benchmark matches or a run fails. {@code bench --help} alone prints this
 * command's usage (JMH's options are under {@code bench -h}).
 */
@Command(name = BenchCommand.NAME,
        description = {"Runs the JMH benchmarks; every argument goes to JMH unchanged.",
                "Examples: bench -l (list), bench -h (JMH options), bench BalanceStepBenchmark -f 1 -wi 3 -i 5",
                "Exit codes: 0 success, 1 no matching benchmark or a failed run, 2 invalid JMH options."})
public final class BenchCommand extends DgrabCommand {

    /** The command's name. */
    public static final String NAME = "bench";

    /** The index of compiled benchmarks that JMH reads. */
    private static final String BENCHMARK_LIST = "/META-INF/BenchmarkList";

    @Parameters(paramLabel = "JMH_ARG", arity = "0..*",
            description = "Arguments for org.openjdk.jmh.Main: benchmark regexps and JMH options.")
    private List<String> jmhArgs = new ArrayList<>();

    /** Used by picocli. */
    public BenchCommand() {
    }

    /**
     * Runs JMH.
     *
     * @return 0 when JMH returns normally
     * @throws Exception whatever JMH throws (a failed benchmark run)
     */
    @Override
    public Integer call() throws Exception {
        if (jmhArgs.equals(List.of("--help"))) {
            // JMH knows -h only; --help would end in its "not a recognized option" and exit code 1.
            spec.commandLine().usage(out());
            out().flush();
            return 0;
        }
        try {
            new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new ParameterException(spec.commandLine(), "invalid JMH arguments " + jmhArgs + ": "
                    + e.getMessage() + " ('" + spec.qualifiedName() + " -h' lists JMH's options)");
        }
        // JMH writes straight to System.out; flush ours first so that the order of lines is kept.
        out().flush();
        err().flush();
        try {
            org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
        } catch (RuntimeException e) {
            if (getClass().getResource(BENCHMARK_LIST) == null) {
                throw new IllegalStateException("no JMH benchmarks are compiled into dgrab-lab (" + BENCHMARK_LIST
                        + " is missing); the JMH annotation processor writes it when classes with @Benchmark methods "
                        + "are compiled", e);
            }
            throw e;
        }
        return 0;
    }
}
