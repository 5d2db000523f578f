package org.dgrab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.dgrab.lab.data.Vocabulary;
import org.dgrab.lab.data.WikiText;
import org.dgrab.lab.experiment.LanguageModelEvaluator;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab lm}: the GraB/CD-GraB papers' word-level language model, a two-layer LSTM (embedding and hidden size
 * 32) trained on WikiText-2-format text cut into sequences of {@code --bptt} 35 tokens, with test perplexity as
 * the metric. Without {@code --data-dir} it runs on a tiny bundled text ({@link WikiText#BUNDLED_RESOURCE}).
 *
 * <p>Each sequence is one example (one ordered unit at example granularity): the orderings permute sequences, so a
 * hidden state cannot be carried from one sequence to the next as in truncated back-propagation over a continuous
 * stream (the next sequence in the order is not the next one in the text). Every sequence starts from a zero
 * state, in training and in evaluation ({@link LanguageModelEvaluator}).
 *
 * <p>Learning rate: DL4J's {@code RnnOutputLayer} sums the loss over the time steps and averages over the
 * sequences of the mini-batch, so the gradient is {@code bptt} times the per-token mean gradient that PyTorch's
 * {@code CrossEntropyLoss} gives; {@code --lr 0.1} here corresponds to a PyTorch learning rate of 3.5 at bptt 35.
 */
@Command(name = "lm",
        defaultValueProvider = LanguageModelCommand.Defaults.class,
        sortOptions = false,
        description = {
                "Word-level language model with n data-parallel workers (the CD-GraB paper's WikiText-2 task): a "
                        + "2-layer LSTM (embedding and hidden size " + LanguageModelCommand.SIZE + ") trained on "
                        + "sequences of --bptt tokens; one model per ordering and seed from the same initial weights.",
                "",
                "Data: train.txt and test.txt (or wiki.train.tokens, wiki.test.tokens) in --data-dir, UTF-8, words "
                        + "separated by spaces (WikiText-2 format); each line ends with an <eos> token, words not in "
                        + "the training text become <unk>. Without --data-dir: a tiny bundled text (Genesis 1-4, "
                        + "KJV), a demo only.",
                "",
                "Each sequence is an independent example (the orders change every epoch, so no hidden state is "
                        + "carried between sequences). DL4J sums the loss over the time steps: the gradient is "
                        + "bptt x the per-token mean gradient, so --lr 0.1 is PyTorch's lr 3.5 at bptt 35.",
                "",
                "Writes DIR/metrics.csv (" + TrainingRun.CSV_COLUMNS + "; losses = mean per-token cross-entropy (nats), test_metric = perplexity) "
                        + "and DIR/metrics.png, prints per-epoch tables, the line "
                        + "summary <order>=<final train loss> ..., " + TrainingRun.TIME_LINE_HELP,
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab lm",
                "  ./dgrab lm --data-dir ~/data/wikitext-2 --epochs 50 --out runs/lm-wikitext2",
                "  ./dgrab lm --data-dir /tmp/kjv --vocab-limit 10000 --limit-train 2000 --limit-test 300 --epochs 2"})
public final class LanguageModelCommand extends DgrabCommand {

    /** Embedding and hidden size, as in the papers. */
    public static final int SIZE = 32;
    /** Largest accepted {@code --bptt}. */
    public static final int MAX_BPTT = 10_000;

    /** This command's defaults: the papers' 4 workers with SGD, sized so that the bundled text runs in seconds. */
    public static final class Defaults extends TrainingOptions.Defaults {
        /** Used by picocli. */
        public Defaults() {
            super("--workers", "4", "--epochs", "10", "--batch", "4", "--lr", "0.1",
                    "--optimizer", "sgd", "--seeds", "0", "--granularity", "batch",
                    "--limit-train", "0", "--limit-test", "0", "--threads", "1", "--sketch", "0");
        }
    }

    @Option(names = "--data-dir", paramLabel = "DIR", order = 1,
            description = "Folder with train.txt and test.txt in WikiText-2 format (valid.txt is not used); "
                    + "default: the tiny bundled text.")
    private Path dataDir;

    @Option(names = "--bptt", paramLabel = "T", order = 2, defaultValue = "35",
            description = "Tokens per sequence (default: ${DEFAULT-VALUE}, as in the papers; valid: 1.." + MAX_BPTT
                    + ").")
    private int bptt;

    @Option(names = "--vocab-limit", paramLabel = "V", order = 3, defaultValue = "0",
            description = "Keep only the V most frequent training words, <unk> and <eos> included; the others "
                    + "become <unk>. 0 = every training word (default: ${DEFAULT-VALUE}; valid: 0 or >= "
                    + Vocabulary.MIN_LIMIT + ").")
    private int vocabLimit;

    @Mixin
    private OrderOptions orders;

    @Mixin
    private TrainingOptions training;

    /** Used by picocli. */
    public LanguageModelCommand() {
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
        checkRange("--bptt", bptt, 1, MAX_BPTT);
        if (vocabLimit < 0 || (vocabLimit > 0 && vocabLimit < Vocabulary.MIN_LIMIT)) {
            throw invalid("--vocab-limit", vocabLimit, "valid: 0 (all words) or at least " + Vocabulary.MIN_LIMIT
                    + ": <unk>, <eos> and one word");
        }
    }

    private TrainingRun.Task prepare() throws IOException {
        String name = spec.qualifiedName();
        WikiText.Corpus c;
        String dataName;
        if (dataDir == null) {
            err().println(name + ": no --data-dir: using the " + WikiText.BUNDLED_NAME + ", a demo far too small "
                    + "for meaningful perplexities; pass --data-dir with WikiText-2 (or see docs/usage.md) for real "
                    + "results");
            c = WikiText.loadBundled(vocabLimit);
            dataName = WikiText.BUNDLED_NAME;
        } else {
            err().println(name + ": reading " + dataDir);
            c = WikiText.load(dataDir, vocabLimit);
            dataName = c.source();
        }
        err().flush();
        int available = WikiText.sequenceCount(c.train().length, bptt);
        if (available < 1) {
            throw invalid("--bptt", bptt, "the training text has " + c.train().length + " tokens, and one sequence "
                    + "needs " + (bptt + 1));
        }
        if (c.test().length < 2) {
            throw new IOException(c.source() + ": the test text has " + c.test().length + " token(s); perplexity "
                    + "needs at least 2 (a word and the word after it)");
        }
        DataSet train = WikiText.sequences(c.train(), bptt, training.limitTrain());
        int trainSequences = train.numExamples();
        int limitTest = training.limitTest();
        int testTargets = c.test().length - 1;
        if (limitTest > 0) {
            testTargets = (int) Math.min(testTargets, (long) limitTest * bptt);
        }
        int testSequences = (testTargets + bptt - 1) / bptt;
        LanguageModelEvaluator evaluator = new LanguageModelEvaluator(c.train(), trainSequences * bptt, c.test(),
                testTargets, bptt);
        int vocab = c.vocabulary().size();
        TrainingOptions.Optimizer optimizer = training.optimizer();
        double lr = training.lr();
        int seqLen = bptt;
        String description = String.format(Locale.ROOT, "2-layer LSTM (embedding %d, hidden %d) on %s: vocabulary "
                        + "%d words (%d distinct training tokens), %d train / %d test sequences of %d tokens (%d test tokens "
                        + "predicted, %.1f%% unknown)", SIZE, SIZE, dataName, vocab, c.trainWords(), trainSequences,
                testSequences, bptt, testTargets, 100.0 * c.testUnknown() / c.test().length);
        return new TrainingRun.Task(train, testSequences, evaluator,
                seed -> Models.lstmLanguageModel(vocab, SIZE, seqLen, optimizer.updater(lr), seed), description,
                "sequences", "train loss (per-token cross-entropy)", "test perplexity", "test ppl");
    }
}
