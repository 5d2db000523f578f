package org.dgrab.lab.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every experiment shares: the seed and the output directory. Use as a picocli mixin:
 * {@code @Mixin RunOptions run;}.
 *
 * <p>The output directory defaults to {@code runs/<command name>}, so different commands never overwrite each
 * other's results ({@code runs/} is ignored by git).
 */
public final class RunOptions {

    /** The command that mixes these options in; its name gives the default output directory. */
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the data and of every ordering; the same seed gives the same results (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for result files, created if missing; existing result files are replaced (default: runs/<command>).")
    private Path out;

    /** Used by picocli. */
    public RunOptions() {
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the output directory given with {@code --out}, or {@code runs/<command name>} */
    public Path outDir() {
        return out != null ? out : Paths.get("runs", mixee.name());
    }
}
