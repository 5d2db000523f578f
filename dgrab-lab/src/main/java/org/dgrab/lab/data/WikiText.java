package org.dgrab.lab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Word-level text in the WikiText-2 format for the language-model example: one folder with {@code train.txt},
 * {@code valid.txt} and {@code test.txt} (or WikiText's own names {@code wiki.train.tokens}, ...), UTF-8, already
 * tokenised (words and punctuation separated by spaces, rare words written {@code <unk>}).
 *
 * <p>Tokenisation follows the readers WikiText results are reported with (PyTorch's word_language_model): every
 * line, blank lines included, becomes its whitespace-separated words followed by {@link Vocabulary#EOS}. The
 * vocabulary comes from the training text alone ({@link Vocabulary#build}); other words become
 * {@link Vocabulary#UNK}.
 *
 * <p>A token stream becomes training examples by {@link #sequences}: non-overlapping windows of {@code bptt}
 * inputs whose labels are the same window shifted by one token.
 *
 * <p>A tiny text in this format is bundled ({@link #BUNDLED_RESOURCE}, see the README there) for tests and for
 * {@code ./dgrab lm} without {@code --data-dir}.
 */
public final class WikiText {
    /** Classpath folder of the bundled tiny text ({@code train.txt}, {@code valid.txt}, {@code test.txt}). */
    public static final String BUNDLED_RESOURCE = "/tiny-text/";
    /** What the bundled text is, for reports. */
    public static final String BUNDLED_NAME = "tiny bundled text (KJV Genesis 1-4, public domain)";

    private WikiText() {
    }

    /**
     * The tokens of a text and the unknown-word count of its encoding.
     *
     * @param vocabulary the vocabulary (built from the training split)
     * @param train      training tokens as indices
     * @param test       test tokens as indices
     * @param trainWords distinct words of the training text, {@code <eos>} included
     * @param testUnknown test tokens outside the vocabulary (literal {@code <unk>} included)
     * @param source     where the text came from, for reports
     */
    public record Corpus(Vocabulary vocabulary, int[] train, int[] test, int trainWords, int testUnknown,
                         String source) {
    }

    /**
     * Splits text into tokens: each line's whitespace-separated words, then {@link Vocabulary#EOS}. Blank lines
     * give a lone {@code <eos>}; a last line without a newline counts as a line.
     *
     * @param in text
     * @return tokens
     * @throws IOException if reading fails
     */
    public static List<String> tokenize(BufferedReader in) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int i = 0;
            int n = line.length();
            while (i < n) {
                while (i < n && isSpace(line.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < n && !isSpace(line.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    tokens.add(line.substring(start, i));
                }
            }
            tokens.add(Vocabulary.EOS);
        }
        return tokens;
    }

    /**
     * {@link #tokenize(BufferedReader)} of a string.
     *
     * @param text text
     * @return tokens
     */
    public static List<String> tokenize(String text) {
        try {
            return tokenize(new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Python's {@code str.split()} splits at Unicode spaces as well (WikiText has some), so this does too. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * Finds a split's file: {@code <split>.txt}, else {@code wiki.<split>.tokens}.
     *
     * @param dir   folder
     * @param split {@code train}, {@code valid} or {@code test}
     * @return the file, or null if neither exists
     */
    public static Path file(Path dir, String split) {
        for (String name : new String[] {split + ".txt", "wiki." + split + ".tokens"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Checks that a folder has the training and test text ({@code valid.txt} is optional: nothing here tunes on
     * it).
     *
     * @param dir folder
     * @throws MissingDataException naming the missing files and the expected format
     */
    public static void requireFiles(Path dir) throws MissingDataException {
        List<String> missing = new ArrayList<>();
        for (String split : new String[] {"train", "test"}) {
            if (file(dir, split) == null) {
                missing.add(split + ".txt");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        throw MissingDataException.forFiles("WikiText-format text", dir, missing, " (or wiki.train.tokens / wiki.test.tokens)",
                "  Expected: UTF-8 text, words separated by spaces, one line per paragraph (WikiText-2 format);\n"
                + "  see docs/usage.md for a real English text from a Debian package. Without --data-dir, lm uses "
                + "a tiny bundled text.");
    }

    /**
     * Reads the training and test text of a folder.
     *
     * @param dir        folder with {@code train.txt} and {@code test.txt} (see {@link #file})
     * @param vocabLimit at most this many words ({@link Vocabulary#build}), 0 for all
     * @return the encoded corpus
     * @throws IOException if files are missing ({@link MissingDataException}), unreadable or not UTF-8
     */
    public static Corpus load(Path dir, int vocabLimit) throws IOException {
        requireFiles(dir);
        Path train = file(dir, "train");
        Path test = file(dir, "test");
        List<String> trainTokens;
        List<String> testTokens;
        try (InputStream a = Files.newInputStream(train); InputStream b = Files.newInputStream(test)) {
            trainTokens = read(a, train.toString());
            testTokens = read(b, test.toString());
        }
        return encode(trainTokens, testTokens, vocabLimit, dir.toString());
    }

    /**
     * Reads the bundled tiny text ({@link #BUNDLED_RESOURCE}).
     *
     * @param vocabLimit at most this many words, 0 for all
     * @return the encoded corpus
     * @throws IOException if the resources are missing from the classpath
     */
    public static Corpus loadBundled(int vocabLimit) throws IOException {
        List<String> train;
        List<String> test;
        try (InputStream a = resource("train.txt"); InputStream b = resource("test.txt")) {
            train = read(a, BUNDLED_RESOURCE + "train.txt");
            test = read(b, BUNDLED_RESOURCE + "test.txt");
        }
        return encode(train, test, vocabLimit, "classpath:" + BUNDLED_RESOURCE);
    }

    /**
     * Reads one split of the bundled tiny text.
     *
     * @param split {@code train}, {@code valid} or {@code test}
     * @return its tokens
     * @throws IOException if the resource is missing
     */
    public static List<String> bundledTokens(String split) throws IOException {
        try (InputStream in = resource(split + ".txt")) {
            return read(in, BUNDLED_RESOURCE + split + ".txt");
        }
    }

    private static Corpus encode(List<String> train, List<String> test, int vocabLimit, String source) {
        Vocabulary v = Vocabulary.build(train, vocabLimit);
        int trainWords = (int) train.stream().distinct().count();
        return new Corpus(v, v.encode(train), v.encode(test), trainWords, v.unknown(test), source);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = WikiText.class.getResourceAsStream(BUNDLED_RESOURCE + name);
        if (in == null) {
            throw new IOException("resource " + BUNDLED_RESOURCE + name + " is not on the classpath (dgrab-lab is "
                    + "incompletely built; rebuild it with mvn -DskipTests package -pl dgrab-lab -am)");
        }
        return in;
    }

    private static List<String> read(InputStream in, String name) throws IOException {
        // Strict UTF-8: a file in another encoding should fail with its name, not train on mangled words.
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
            return tokenize(r);
        } catch (CharacterCodingException e) {
            throw new IOException(name + " is not UTF-8 text (" + e + ")", e);
        }
    }

    /**
     * Number of training sequences a token stream gives: {@code floor((tokens - 1) / bptt)}, as every sequence
     * needs its {@code bptt} inputs and the token after the last of them.
     *
     * @param tokens stream length
     * @param bptt   sequence length
     * @return number of full sequences
     */
    public static int sequenceCount(int tokens, int bptt) {
        return tokens < 1 ? 0 : (tokens - 1) / bptt;
    }

    /**
     * Cuts a token stream into non-overlapping sequences: sequence {@code i} has inputs
     * {@code ids[i*bptt .. i*bptt+bptt-1]} and labels {@code ids[i*bptt+1 .. i*bptt+bptt]}. Tokens after the last
     * full sequence are left out (fewer than {@code bptt}).
     *
     * @param ids   token indices
     * @param bptt  sequence length
     * @param limit at most this many sequences (the first ones), 0 for all
     * @return features {@code [N, 1, bptt]} and labels {@code [N, 1, bptt]}, both FLOAT word indices (exact below
     *         2^24): the integer labels of {@code SPARSE_MCXENT}, not one-hot vectors, so that memory grows with
     *         {@code N * bptt}, not {@code N * bptt * V}
     * @throws IllegalArgumentException if the stream is too short for one sequence
     */
    public static DataSet sequences(int[] ids, int bptt, int limit) {
        int n = sequenceCount(ids.length, bptt);
        if (limit > 0) {
            n = Math.min(n, limit);
        }
        if (n < 1) {
            throw new IllegalArgumentException("a text of " + ids.length + " tokens gives no sequence of " + bptt
                    + " inputs and " + bptt + " labels; it needs at least " + (bptt + 1) + " tokens");
        }
        float[] f = new float[n * bptt];
        float[] l = new float[n * bptt];
        for (int i = 0; i < n * bptt; i++) {
            f[i] = ids[i];
            l[i] = ids[i + 1];
        }
        return new DataSet(Nd4j.create(f, new long[] {n, 1, bptt}, 'c'), Nd4j.create(l, new long[] {n, 1, bptt}, 'c'));
    }
}
