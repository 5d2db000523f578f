package org.dgrab.lab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.mllib.feature.HashingTF;
import org.apache.spark.mllib.feature.Normalizer;
import org.apache.spark.mllib.linalg.SparseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed sentence features for {@code dgrab text}: the words and word bigrams of a sentence, hashed into a fixed
 * number of buckets (the hashing trick) by Spark MLlib's {@link HashingTF} (MurmurHash3), their counts scaled
 * sublinearly ({@code 1 + ln(count)}) and the vector normalised to unit length by MLlib's {@link Normalizer}. Like
 * the frozen sentence embeddings of the CD-GraB paper's GLUE experiment, the features never change during
 * training, and only the classifier on top of them is learnt.
 *
 * <p>Why hashing with MLlib and not DL4J's text tooling: deeplearning4j-nlp's bag-of-words and TF-IDF vectorisers
 * first build a vocabulary and give vectors as long as it (tens of thousands of columns for words and bigrams of a
 * novel), and the module is not among this project's dependencies; DataVec 1.0.0-M2.1 has no text vectoriser. MLlib
 * is already one (for {@code dgrab spark}), and its {@code HashingTF} works without a Spark context, needs no
 * vocabulary pass and keeps the dimension fixed whatever the corpus.
 *
 * <p>Words are maximal runs of letters and digits (an apostrophe inside a word is kept: {@code don't}), lower-cased
 * with {@link Locale#ROOT}. Thread-safe and deterministic: a sentence always gets the same vector.
 */
public final class HashedSentenceFeatures {
    /** Largest accepted number of buckets. */
    public static final int MAX_BUCKETS = 1 << 20;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*");

    private final int buckets;
    private final HashingTF hashing;
    private final Normalizer unitLength = new Normalizer(2.0);

    /**
     * @param buckets the feature dimension, 1..{@link #MAX_BUCKETS}
     * @throws IllegalArgumentException for a dimension out of range
     */
    public HashedSentenceFeatures(int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("number of hash buckets must be in 1.." + MAX_BUCKETS + ", got "
                    + buckets);
        }
        this.buckets = buckets;
        this.hashing = new HashingTF(buckets);
    }

    /** @return the feature dimension */
    public int dimension() {
        return buckets;
    }

    /**
     * @param sentence any text
     * @return its words, lower-case, in order
     */
    public static List<String> words(String sentence) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(sentence.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /**
     * @param sentence any text
     * @return its terms: the words, then the bigrams written {@code "first second"}
     */
    public static List<String> terms(String sentence) {
        List<String> words = words(sentence);
        List<String> terms = new ArrayList<>(words);
        for (int i = 1; i < words.size(); i++) {
            terms.add(words.get(i - 1) + " " + words.get(i));
        }
        return terms;
    }

    /**
     * The features of one sentence.
     *
     * @param sentence any text
     * @return the sparse feature vector: unit length, or all zero for a sentence without words
     */
    public SparseVector vector(String sentence) {
        SparseVector counts = hashing.transform(terms(sentence)).toSparse();
        double[] scaled = counts.values().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = 1 + Math.log(scaled[i]);
        }
        Vector v = new SparseVector(buckets, counts.indices(), scaled);
        return scaled.length == 0 ? (SparseVector) v : unitLength.transform(v).toSparse();
    }

    /**
     * The features of many sentences as one matrix, for a DL4J {@code DataSet}.
     *
     * @param sentences the texts
     * @return {@code [sentences, dimension]}, FLOAT
     */
    public INDArray matrix(List<String> sentences) {
        INDArray m = Nd4j.create(DataType.FLOAT, sentences.size(), buckets);
        for (int r = 0; r < sentences.size(); r++) {
            SparseVector v = vector(sentences.get(r));
            int[] idx = v.indices();
            double[] val = v.values();
            for (int i = 0; i < idx.length; i++) {
                m.putScalar(r, idx[i], val[i]);
            }
        }
        return m;
    }
}
