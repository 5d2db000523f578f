package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.dgrab.lab.report.ResultFiles;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every {@code dgrab} subcommand: access to the command's stdout and stderr writers (which tests replace),
 * option validation that fails with exit code 2 and a message naming option, value and valid range, and a
 * {@link Progress} on stderr.
 *
 * <p>Subclasses implement {@link #call()} and return 0 on success; an exception thrown from {@code call()} ends
 * the command with exit code 1 and a one-line message. Share options between commands with picocli mixins such as
 * {@link RunOptions} and {@link OrderOptions}.
 */
public abstract class DgrabCommand implements Callable<Integer> {

    /** The parsed command, injected by picocli. */
    @Spec
    protected CommandSpec spec;

    /** For subclasses. */
    protected DgrabCommand() {
    }

    /** @return where results go (the command line's stdout writer) */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return where progress, warnings and errors go (the command line's stderr writer) */
    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Builds the exception for an invalid option value; picocli turns it into a message and exit code 2.
     *
     * @param option the option's name, e.g. {@code --workers}
     * @param value  the value given
     * @param why    what is wrong or what is valid, e.g. {@code "valid range: 1..65536"}
     * @return the exception to throw
     */
    protected final ParameterException invalid(String option, Object value, String why) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + value + " (" + why + ")");
    }

    /**
     * Checks that an option lies in a closed range.
     *
     * @param option the option's name
     * @param value  the value given
     * @param min    smallest valid value
     * @param max    largest valid value
     * @throws ParameterException naming the option, the value and the range
     */
    protected final void checkRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(option, value, "valid range: " + min + ".." + max);
        }
    }

    /**
     * Checks {@code --lr}: positive and at most {@link TrainingOptions#MAX_LR} (NaN is refused too).
     *
     * @param lr the value given
     * @throws ParameterException naming the value and the valid range
     */
    protected final void checkLearningRate(double lr) {
        if (!(lr > 0 && lr <= TrainingOptions.MAX_LR)) {
            throw invalid("--lr", lr, "valid: > 0 and <= " + (int) TrainingOptions.MAX_LR);
        }
    }

    /**
     * Checks {@code --seeds}: 1 to {@link TrainingOptions#MAX_SEEDS} seeds, each once.
     *
     * @param seeds the seeds given
     * @throws ParameterException naming the list and what is wrong with it
     */
    protected final void checkSeeds(List<Long> seeds) {
        if (seeds.isEmpty() || seeds.size() > TrainingOptions.MAX_SEEDS) {
            throw invalid("--seeds", RunReport.join(seeds), "give 1.." + TrainingOptions.MAX_SEEDS + " seeds");
        }
        checkDistinct("--seeds", seeds, String::valueOf);
    }

    /**
     * Refuses a list option that names a value twice: every value is one run or one series, and a repeat would only
     * run it again (or, keyed by name, overwrite it) without anyone asking for that.
     *
     * @param option the option's name, e.g. {@code --workers}
     * @param values the values as parsed
     * @param name   how a value is written on the command line (e.g. an ordering's id, so that aliases of one
     *               ordering are recognised as the same)
     * @param <T>    the value type
     * @throws ParameterException naming the option, the list and the repeated value
     */
    protected final <T> void checkDistinct(String option, List<T> values, Function<? super T, String> name) {
        Set<String> seen = new HashSet<>();
        for (T v : values) {
            if (!seen.add(name.apply(v))) {
                throw invalid(option, values.stream().map(name).collect(Collectors.joining(",")),
                        name.apply(v) + " is listed twice; give each value once");
            }
        }
    }

    /**
     * Checks {@code --out} before any work: not empty (which would mean the current directory), and a directory
     * where files can really be created ({@link ResultFiles#probe}); nothing is left behind.
     *
     * @param outDir the output directory
     * @throws ParameterException naming {@code --out} and what failed
     */
    protected final void checkOut(Path outDir) {
        if (outDir.toString().isEmpty()) {
            throw invalid("--out", "''", "give a directory; '.' is the current one");
        }
        try {
            ResultFiles.probe(outDir);
        } catch (IOException e) {
            throw invalid("--out", outDir, e.getMessage());
        }
    }

    /**
     * Starts a progress display on this command's stderr; a bar when stderr is a terminal, plain lines otherwise
     * (see {@link Progress#interactiveByDefault()}).
     *
     * @param label what is being done, shown first on every update
     * @param total number of steps, {@code >= 1}
     * @return the progress display; close it when done
     */
    protected final Progress progress(String label, long total) {
        return new Progress(err(), label, total, Progress.interactiveByDefault());
    }
}
