package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.mllib.linalg.SparseVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tests {@link LabelledSentences} (reading and class selection) and {@link HashedSentenceFeatures}. */
class TextDataTest {
    @TempDir
    Path tmp;

    @Test
    void readsLabelsAndTextsAndSelectsClassesInTheGivenOrder() throws IOException {
        Path f = tmp.resolve("s.tsv");
        Files.writeString(f, "b\tOne two three.\n\n a \tFour\tfive.\nc\tSix.\nb\tSeven eight.\n", StandardCharsets.UTF_8);
        LabelledSentences all = LabelledSentences.read(f, List.of());
        assertEquals(List.of("a", "b", "c"), all.classes(), "every label, sorted");
        assertEquals(List.of("One two three.", "Four\tfive.", "Six.", "Seven eight."), all.texts(),
                "text is everything after the first tab; blank lines skipped");
        assertArrayEquals(new int[] {1, 0, 2, 1}, all.labels());
        LabelledSentences pair = LabelledSentences.read(f, List.of("c", "b"));
        assertEquals(List.of("c", "b"), pair.classes());
        assertEquals(List.of("One two three.", "Six.", "Seven eight."), pair.texts());
        assertArrayEquals(new int[] {1, 0, 1}, pair.labels());
        assertEquals("2 classes (c 1, b 2)", pair.describeClasses());
    }

    @Test
    void badFilesAndUnknownClassesAreNamed() throws IOException {
        Path noTab = tmp.resolve("notab.tsv");
        Files.writeString(noTab, "a\tfine\njust text without a tab\n", StandardCharsets.UTF_8);
        IOException e = assertThrows(LabelledSentences.FormatException.class, () -> LabelledSentences.read(noTab, List.of()));
        assertTrue(e.getMessage().contains(noTab + " line 2: no tab; expected label<TAB>text"), e.getMessage());
        Path one = tmp.resolve("one.tsv");
        Files.writeString(one, "a\tx y\na\tz\n", StandardCharsets.UTF_8);
        IOException single = assertThrows(LabelledSentences.FormatException.class, () -> LabelledSentences.read(one, List.of()));
        assertTrue(single.getMessage().contains("needs at least 2"), single.getMessage());
        IllegalArgumentException unknown = assertThrows(LabelledSentences.UnknownClassException.class,
                () -> LabelledSentences.read(one, List.of("a", "q")));
        assertTrue(unknown.getMessage().contains("class 'q' is not in") && unknown.getMessage().contains("[a]"),
                unknown.getMessage());
    }

    @Test
    void featuresAreHashedWordAndBigramCountsOfUnitLength() {
        assertEquals(List.of("don't", "stop", "2", "times"), HashedSentenceFeatures.words("Don't STOP, 2 times!"));
        assertEquals(List.of("a", "b", "a", "a b", "b a"), HashedSentenceFeatures.terms("A b a"));
        HashedSentenceFeatures h = new HashedSentenceFeatures(1 << 16);
        SparseVector v = h.vector("The cat saw the dog.");
        // 4 distinct words (the x2) and 4 distinct bigrams: 8 buckets unless two collide among 65536.
        assertEquals(8, v.indices().length, Arrays.toString(v.indices()));
        double norm = 0;
        double max = 0;
        for (double x : v.values()) {
            norm += x * x;
            max = Math.max(max, x);
        }
        assertEquals(1.0, norm, 1e-12, "unit length");
        // "the" twice: 1 + ln 2 against 1 for the others, before normalising.
        assertEquals((1 + Math.log(2)) / Math.sqrt(7 + Math.pow(1 + Math.log(2), 2)), max, 1e-12);
        assertEquals(v, new HashedSentenceFeatures(1 << 16).vector("the CAT saw The dog"), "deterministic, case-blind");
        assertNotEquals(v, h.vector("The dog saw the cat."), "word order changes the bigrams");
        assertEquals(0, h.vector("...").indices().length, "no words, no features");

        INDArray m = new HashedSentenceFeatures(16).matrix(List.of("a b c", "", "c b a"));
        assertArrayEquals(new long[] {3, 16}, m.shape());
        assertEquals(1.0, m.getRow(0).norm2Number().doubleValue(), 1e-6);
        assertEquals(0.0, m.getRow(1).norm2Number().doubleValue(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new HashedSentenceFeatures(0));
    }
}
