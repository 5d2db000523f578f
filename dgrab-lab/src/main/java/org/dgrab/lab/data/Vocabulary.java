package org.dgrab.lab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words a language model predicts, each with an index in {@code [0, size())}: built from the training
 * tokens only, so that validation and test words the model never saw map to {@link #UNK}, as in WikiText.
 *
 * <p>Indices: {@code 0} is {@link #UNK} and {@code 1} is {@link #EOS}, always (so that unknown test words and line
 * ends always have a class, even when the training text contains no {@code <unk>}); then the other training words
 * by decreasing count, ties broken by first occurrence. The order makes {@code --vocab-limit K} keep the {@code K}
 * most frequent words and makes the indices deterministic. Immutable.
 */
public final class Vocabulary {
    /** The unknown word, as WikiText writes it; index 0. */
    public static final String UNK = "<unk>";
    /** The end of a line, as WikiText's readers append it; index 1. */
    public static final String EOS = "<eos>";
    /** Smallest useful {@code limit} of {@link #build}: {@code <unk>}, {@code <eos>} and one word. */
    public static final int MIN_LIMIT = 3;

    private final List<String> words;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.index = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
    }

    /**
     * Builds the vocabulary of a training token stream.
     *
     * @param trainTokens the training tokens, {@link #EOS} included
     * @param limit       at most this many words, {@code <unk>} and {@code <eos>} included (the rarest words are
     *                    left out and become {@code <unk>}); {@code 0} for all
     * @return the vocabulary
     * @throws IllegalArgumentException if {@code limit} is negative or 1..{@link #MIN_LIMIT}-1
     */
    public static Vocabulary build(List<String> trainTokens, int limit) {
        if (limit < 0 || (limit > 0 && limit < MIN_LIMIT)) {
            throw new IllegalArgumentException("vocabulary limit " + limit + ": use 0 (all words) or at least "
                    + MIN_LIMIT);
        }
        // LinkedHashMap keeps first occurrence, which a stable sort by count then preserves among equal counts.
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (String t : trainTokens) {
            counts.computeIfAbsent(t, k -> new int[1])[0]++;
        }
        counts.remove(UNK);
        counts.remove(EOS);
        List<Map.Entry<String, int[]>> byCount = new ArrayList<>(counts.entrySet());
        Collections.sort(byCount, (a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        List<String> words = new ArrayList<>();
        words.add(UNK);
        words.add(EOS);
        for (Map.Entry<String, int[]> e : byCount) {
            if (limit > 0 && words.size() >= limit) {
                break;
            }
            words.add(e.getKey());
        }
        return new Vocabulary(words);
    }

    /** @return number of words V, {@code <unk>} and {@code <eos>} included */
    public int size() {
        return words.size();
    }

    /**
     * @param word a token
     * @return its index, or 0 ({@link #UNK}) if it is not in the vocabulary
     */
    public int index(String word) {
        Integer i = index.get(word);
        return i == null ? 0 : i;
    }

    /**
     * @param word a token
     * @return true if the vocabulary has it (then {@link #index} is not the {@code <unk>} fallback)
     */
    public boolean contains(String word) {
        return index.containsKey(word);
    }

    /**
     * @param i an index in {@code [0, size())}
     * @return its word
     */
    public String word(int i) {
        return words.get(i);
    }

    /**
     * Maps tokens to indices.
     *
     * @param tokens tokens
     * @return their indices; unknown words become 0
     */
    public int[] encode(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index(tokens.get(i));
        }
        return ids;
    }

    /**
     * Counts the tokens that are not in the vocabulary (written {@code <unk>} in the source text or not).
     *
     * @param tokens tokens
     * @return how many map to {@link #UNK}
     */
    public int unknown(List<String> tokens) {
        int n = 0;
        for (String t : tokens) {
            if (index(t) == 0) {
                n++;
            }
        }
        return n;
    }
}
