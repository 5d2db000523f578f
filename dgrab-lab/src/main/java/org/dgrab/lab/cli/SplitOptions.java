package org.dgrab.lab.cli;

import org.dgrab.lab.report.Decimals;

import picocli.CommandLine.Option;

/**
 * The random train/test split of the commands that read one labelled file and hold part of it out
 * ({@code logreg}, {@code text}): {@code --test-fraction} and {@code --split-seed}. Use as a picocli mixin:
 * {@code @Mixin SplitOptions split;}, and call {@link #validate} with the other option checks.
 */
public final class SplitOptions {

    @Option(names = "--test-fraction", paramLabel = "F", order = 4, defaultValue = "0.2",
            description = "Share of the examples held out for testing, chosen at random (default: ${DEFAULT-VALUE}; "
                    + "valid: > 0 and < 1).")
    private double testFraction;

    @Option(names = "--split-seed", paramLabel = "S", order = 5, defaultValue = "0",
            description = "Seed of the train/test split; the same for every --seeds run, so that all runs see the "
                    + "same split (default: ${DEFAULT-VALUE}).")
    private long splitSeed;

    /** Used by picocli. */
    public SplitOptions() {
    }

    /** @return {@code --test-fraction} */
    public double testFraction() {
        return testFraction;
    }

    /** @return {@code --split-seed} */
    public long splitSeed() {
        return splitSeed;
    }

    /**
     * Refuses a test fraction outside {@code (0, 1)}.
     *
     * @param cmd the command, whose option errors end it with exit code 2
     * @throws picocli.CommandLine.ParameterException naming the option, the value and the valid range
     */
    void validate(DgrabCommand cmd) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw cmd.invalid("--test-fraction", testFraction, "valid: > 0 and < 1");
        }
    }

    /** @return e.g. {@code test fraction 0.2, split seed 0}, for a run's description */
    String describe() {
        return "test fraction " + Decimals.trim(testFraction) + ", split seed " + splitSeed;
    }
}
