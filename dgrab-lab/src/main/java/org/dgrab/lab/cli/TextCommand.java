package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.dgrab.lab.data.HashedSentenceFeatures;
import org.dgrab.lab.data.LabelledSentences;
import org.dgrab.lab.data.TabularData;
import org.dgrab.lab.experiment.ClassificationEvaluator;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab text}: a GLUE-shaped sentence classification task, the CD-GraB paper's GLUE setting with fixed
 * features. Logistic regression (one softmax {@code OutputLayer}) learns to tell the source of a sentence from fixed
 * sentence features ({@link HashedSentenceFeatures}: hashed word and bigram counts) of a {@code label<TAB>text}
 * file ({@link LabelledSentences}); {@code --classes} picks some of the labels, e.g. a binary pair. The sentences
 * are split at random into training and test sentences as by {@code dgrab logreg}. Same orderings, options and
 * outputs as the other training commands ({@link TrainingRun}).
 */
@Command(name = "text",
        defaultValueProvider = TextCommand.Defaults.class,
        sortOptions = false,
        description = {
                "Sentence classification with fixed features (the CD-GraB paper's GLUE setting, shaped): logistic "
                        + "regression on hashed word and bigram counts of each sentence, trained by n data-parallel "
                        + "workers once per ordering and seed from the same initial weights.",
                "",
                "Data: --tsv FILE, UTF-8, one sentence per line as label<TAB>text (no header; blank lines skipped). "
                        + "Features: the words and word bigrams (lower-case) hashed into --features buckets by Spark "
                        + "MLlib's HashingTF, counts scaled to 1 + ln(count), each sentence's vector of unit length. "
                        + "Sentences are split at random into training and test sentences. "
                        + "scripts/export-austen.sh writes such a file from Jane Austen's six novels.",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; test_metric = accuracy) and "
                        + "DIR/metrics.png, prints per-epoch tables, the line summary <order>=<final train loss> ..., "
                        + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  scripts/export-austen.sh data/austen.tsv",
                "  ./dgrab text --tsv data/austen.tsv --classes emma,persuasion",
                "  ./dgrab text --tsv data/austen.tsv --orders cd-grab,d-rr,id-grab-pair --seeds 0,1,2,3,4"})
public final class TextCommand extends DgrabCommand {

    /** This command's defaults: the reference's 16 workers with one sentence each per step, fewer epochs. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "16", "--epochs", "10", "--batch", "1", "--lr", "0.5",
                    "--optimizer", "sgd", "--seeds", "0", "--granularity", "example-last-layer",
                    "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Option(names = "--tsv", paramLabel = "FILE", order = 1, required = true,
            description = "The sentences: label<TAB>text per line, UTF-8.")
    private Path tsv;

    @Option(names = "--classes", paramLabel = "LABEL", split = ",", order = 2,
            description = "Labels to keep, comma-separated, each once, at least 2 (e.g. a binary pair); class "
                    + "indices follow this order (default: every label of the file, sorted).")
    private List<String> classes;

    @Option(names = "--features", paramLabel = "D", order = 3, defaultValue = "1024",
            description = "Hash buckets, the feature dimension (default: ${DEFAULT-VALUE}, about the width of the "
                    + "paper's frozen sentence embeddings; valid: 2.." + HashedSentenceFeatures.MAX_BUCKETS + ").")
    private int features;

    @Mixin
    private SplitOptions holdOut;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    /** Used by picocli. */
    public TextCommand() {
    }

    /**
     * Trains and compares the orderings.
     *
     * @return 0 on success
     * @throws IOException if the file cannot be read or has the wrong shape, or the results cannot be written
     */
    @Override
    public Integer call() throws IOException {
        return new TrainingRun(this, orders, training).run(this::validateOwnOptions, this::prepare);
    }

    private void validateOwnOptions() {
        holdOut.validate(this);
        checkRange("--features", features, 2, HashedSentenceFeatures.MAX_BUCKETS);
        if (classes != null) {
            if (classes.size() < 2) {
                throw invalid("--classes", String.join(",", classes), "name at least 2 labels");
            }
            for (String c : classes) {
                if (c.isBlank()) {
                    throw invalid("--classes", String.join(",", classes), "empty label (check for stray commas)");
                }
            }
            checkDistinct("--classes", classes, c -> c);
        }
        if (!Files.isRegularFile(tsv)) {
            throw invalid("--tsv", tsv, Files.exists(tsv) ? "not a regular file" : "no such file");
        }
    }

    private TrainingRun.Task prepare() throws IOException {
        String name = spec.qualifiedName();
        LabelledSentences data;
        try {
            data = LabelledSentences.read(tsv, classes == null ? List.of() : classes);
        } catch (LabelledSentences.UnknownClassException e) {
            throw invalid("--classes", String.join(",", classes), e.getMessage());
        }
        int n = data.size();
        if (n < 2) {
            throw new IOException(tsv + " has " + n + " sentence of the selected classes; a train/test split needs "
                    + "at least 2");
        }
        long t0 = System.nanoTime();
        HashedSentenceFeatures featurizer = new HashedSentenceFeatures(features);
        INDArray x = featurizer.matrix(data.texts());
        int k = data.classes().size();
        INDArray y = Nd4j.create(DataType.FLOAT, n, k);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, data.labels()[i], 1f);
        }
        err().printf(Locale.ROOT, "%s: %d sentences, %s; %d hashed features in %.1f s%n", name, n,
                data.describeClasses(), features, (System.nanoTime() - t0) / 1e9);
        err().flush();
        // The split of dgrab logreg: ND4J shuffles with a seed drawn from new Random(--split-seed). Features and labels
        // share one data type, which ND4J's shuffle needs.
        SplitTestAndTrain split = new DataSet(x, y).splitTestAndTrain(
                n - TabularData.testRows(n, holdOut.testFraction()), new Random(holdOut.splitSeed()));
        DataSet train = limit(split.getTrain(), training.limitTrain());
        DataSet test = limit(split.getTest(), training.limitTest());
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        String description = String.format(Locale.ROOT, "logistic regression on %d hashed word+bigram features of "
                        + "sentences (%s) from %s: %d train / %d test sentences (%s)", features, data.describeClasses(), tsv,
                train.numExamples(), test.numExamples(), holdOut.describe());
        return new TrainingRun.Task(train, test.numExamples(), new ClassificationEvaluator(train, test),
                seed -> Models.logisticRegression(features, k, optimizer.updater(lr), seed), description,
                "sentences", "train loss", "test accuracy", "test acc");
    }

    /** The first {@code limit} examples (0: all). */
    private static DataSet limit(DataSet d, int limit) {
        int n = d.numExamples();
        if (limit <= 0 || limit >= n) {
            return d;
        }
        return new DataSet(d.getFeatures().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()),
                d.getLabels().get(NDArrayIndex.interval(0, limit), NDArrayIndex.all()));
    }
}
