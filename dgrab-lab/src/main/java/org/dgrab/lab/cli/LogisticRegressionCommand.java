package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.dgrab.lab.data.TabularData;
import org.dgrab.lab.experiment.ClassificationEvaluator;
import org.dgrab.lab.models.Models;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab logreg}: multinomial logistic regression (one softmax {@code OutputLayer}) on a numeric CSV table,
 * the CD-GraB paper's tabular task (HMDA mortgage data there), with test accuracy as the metric. The table is split
 * at random into training and test rows ({@code --test-fraction}, {@code --split-seed}) and standardised with the
 * training rows' statistics; {@link TabularData} reads, splits and standardises it and says which format it accepts.
 */
@Command(name = "logreg",
        defaultValueProvider = LogisticRegressionCommand.Defaults.class,
        sortOptions = false,
        description = {
                "Logistic regression on a numeric CSV table with n data-parallel workers (the CD-GraB paper's "
                        + "tabular task): one softmax layer, trained once per ordering and seed from the same initial "
                        + "weights.",
                "",
                "Data: --csv FILE, comma-separated (gzipped if the name ends in .gz), every cell a number, an "
                        + "integer class label in the last column (or --label-column), an optional header row "
                        + "(recognised by a non-numeric cell). Rows are split at random into training and test "
                        + "rows; features are standardised with the mean and standard deviation of the training "
                        + "rows (columns constant there become 0).",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy) and DIR/metrics.png, prints per-epoch tables, "
                        + "the line summary <order>=<final train loss> ..., " + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab logreg --csv data.csv",
                "  ./dgrab logreg --csv data.csv --label-column approved --test-fraction 0.25 --seeds 0,1,2",
                "  ./dgrab logreg --csv /usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv "
                        + "--skip-lines 1"})
public final class LogisticRegressionCommand extends DgrabCommand {

    /** Largest accepted {@code --skip-lines}. */
    public static final int MAX_SKIP = 1_000_000;

    /** This command's defaults. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "4", "--epochs", "10", "--batch", "16", "--lr", "0.1",
                    "--optimizer", "sgd", "--seeds", "0", "--granularity", "batch",
                    "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Option(names = "--csv", paramLabel = "FILE", order = 1, required = true,
            description = "The table: numeric cells, comma-separated, optional header row; .gz is decompressed.")
    private Path csv;

    @Option(names = "--label-column", paramLabel = "COL", order = 2,
            description = "Column of the integer class label: a number (1 = first column) or a header name "
                    + "(default: the last column).")
    private String labelColumn;

    @Option(names = "--skip-lines", paramLabel = "N", order = 3, defaultValue = "0",
            description = "Ignore the first N lines, e.g. scikit-learn's count line before the data "
                    + "(default: ${DEFAULT-VALUE}).")
    private int skipLines;

    @Mixin
    private SplitOptions holdOut;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    /** Used by picocli. */
    public LogisticRegressionCommand() {
    }

    /**
     * Trains and compares the orderings.
     *
     * @return 0 on success, 1 if the data is missing
     * @throws IOException if the data cannot be read or the results cannot be written
     */
    @Override
    public Integer call() throws IOException {
        return new TrainingRun(this, orders, training).run(this::validateOwnOptions, this::prepare);
    }

    private void validateOwnOptions() {
        holdOut.validate(this);
        checkRange("--skip-lines", skipLines, 0, MAX_SKIP);
        if (labelColumn != null && labelColumn.isBlank()) {
            throw invalid("--label-column", "''", "give a column number (1 = first) or a header name");
        }
        // A missing file is an invalid --csv, refused with the other options before anything is read.
        if (!Files.isRegularFile(csv)) {
            throw invalid("--csv", csv, Files.exists(csv) ? "not a regular file" : "no such file");
        }
    }

    private TrainingRun.Task prepare() throws IOException {
        String name = spec.qualifiedName();
        err().println(name + ": reading " + csv);
        err().flush();
        TabularData table;
        try {
            table = TabularData.read(csv, labelColumn, skipLines, holdOut.testFraction(), holdOut.splitSeed(),
                    training.limitTrain(), training.limitTest());
        } catch (NoSuchFileException e) {
            throw invalid("--csv", csv, e.getReason() != null ? e.getReason() : "no such file");
        } catch (TabularData.LabelColumnException e) {
            // The file is readable; the option asks for a column it does not have: exit code 2, like any bad value.
            throw invalid("--label-column", labelColumn, e.getMessage());
        }
        int constant = table.constantColumns();
        err().printf(Locale.ROOT, "%s: %d rows, %d features, %s; header: %s; label: %s%n", name, table.rows(),
                table.featureCount(), table.describeClasses(), table.hasHeader() ? "yes" : "no",
                table.columnNames().get(table.labelColumn()));
        if (constant > 0) {
            err().printf(Locale.ROOT, "%s: %d feature column(s) constant on the training rows, set to 0%n", name,
                    constant);
        }
        err().flush();
        int features = table.featureCount();
        int classes = table.classes();
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        String description = String.format(Locale.ROOT, "logistic regression (%d features, %s) on %s: %d train / "
                        + "%d test rows (%s)", features, table.describeClasses(), csv, table.train().numExamples(),
                table.test().numExamples(), holdOut.describe());
        return new TrainingRun.Task(table.train(), table.test().numExamples(), new ClassificationEvaluator(table.train(),
                table.test()), seed -> Models.logisticRegression(features, classes, optimizer.updater(lr), seed),
                description, "rows", "train loss", "test accuracy", "test acc");
    }
}
