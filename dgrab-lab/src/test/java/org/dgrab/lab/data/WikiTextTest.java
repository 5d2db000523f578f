package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Tokenisation, vocabulary and sequence cutting of the language-model data ({@link WikiText}, {@link Vocabulary}). */
class WikiTextTest {

    @TempDir
    Path tmp;

    @Test
    void everyLineEndsWithEosBlankLinesIncluded() {
        // Leading, trailing and repeated spaces, a tab, a blank line and a last line without a newline.
        List<String> t = WikiText.tokenize(" the cat  sat \n\n\tthe dog\n = Heading = \nend");
        assertEquals(List.of("the", "cat", "sat", "<eos>", "<eos>", "the", "dog", "<eos>", "=", "Heading", "=",
                "<eos>", "end", "<eos>"), t);
        assertEquals(List.of(), WikiText.tokenize(""));
        // A no-break space separates words as Python's str.split() does.
        assertEquals(List.of("a", "b", "<eos>"), WikiText.tokenize("a\u00a0b"));
        // CRLF line ends are line ends.
        assertEquals(List.of("a", "<eos>", "b", "<eos>"), WikiText.tokenize("a\r\nb\r\n"));
    }

    @Test
    void vocabularyPutsUnkAndEosFirstThenWordsByCountThenFirstOccurrence() {
        List<String> train = WikiText.tokenize("b a c a\nc a d\n");
        // counts: a 3, c 2, b 1, d 1 (b before d: first occurrence), <eos> 2
        Vocabulary v = Vocabulary.build(train, 0);
        assertEquals(6, v.size());
        assertEquals(List.of("<unk>", "<eos>", "a", "c", "b", "d"),
                List.of(v.word(0), v.word(1), v.word(2), v.word(3), v.word(4), v.word(5)));
        assertArrayEquals(new int[] {4, 2, 3, 2, 1, 3, 2, 5, 1}, v.encode(train));
        // Words outside the training text, and a literal <unk>, map to index 0.
        assertArrayEquals(new int[] {2, 0, 0, 1}, v.encode(List.of("a", "zebra", "<unk>", "<eos>")));
        assertEquals(2, v.unknown(List.of("a", "zebra", "<unk>", "<eos>")));
        assertTrue(v.contains("d"));
        assertFalse(v.contains("zebra"));
    }

    @Test
    void vocabularyLimitKeepsTheMostFrequentWords() {
        List<String> train = WikiText.tokenize("b a c a\nc a d\n");
        Vocabulary v = Vocabulary.build(train, 4);
        assertEquals(4, v.size());
        assertEquals("a", v.word(2));
        assertEquals("c", v.word(3));
        // b and d are cut and become <unk>.
        assertArrayEquals(new int[] {0, 2, 3, 2, 1, 3, 2, 0, 1}, v.encode(train));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(train, 2));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(train, -1));
        // A limit above the number of words keeps them all.
        assertEquals(6, Vocabulary.build(train, 100).size());
    }

    @Test
    void sequencesAreNonOverlappingWindowsWithLabelsShiftedByOne() {
        int[] ids = {10, 11, 12, 13, 14, 15, 16, 17};   // 8 tokens: (8 - 1) / 3 = 2 sequences, tokens 16-17 left over
        assertEquals(2, WikiText.sequenceCount(ids.length, 3));
        DataSet d = WikiText.sequences(ids, 3, 0);
        assertArrayEquals(new long[] {2, 1, 3}, d.getFeatures().shape());
        assertArrayEquals(new long[] {2, 1, 3}, d.getLabels().shape());
        assertArrayEquals(new float[] {10, 11, 12, 13, 14, 15}, d.getFeatures().ravel().toFloatVector());
        assertArrayEquals(new float[] {11, 12, 13, 14, 15, 16}, d.getLabels().ravel().toFloatVector());
        // Exactly bptt * k + 1 tokens: k sequences, the last label is the last token.
        assertEquals(2, WikiText.sequenceCount(7, 3));
        assertEquals(1, WikiText.sequences(ids, 3, 1).numExamples());
        assertEquals(0, WikiText.sequenceCount(3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WikiText.sequences(new int[] {1, 2, 3}, 3, 0));
        assertTrue(e.getMessage().contains("at least 4 tokens"), e.getMessage());
    }

    @Test
    void bundledTextHasTheSizesOfItsReadme() throws IOException {
        assertEquals(2527, WikiText.bundledTokens("train").size());
        assertEquals(344, WikiText.bundledTokens("valid").size());
        assertEquals(434, WikiText.bundledTokens("test").size());
        WikiText.Corpus c = WikiText.loadBundled(0);
        assertEquals(72, WikiText.sequenceCount(c.train().length, 35));
        assertEquals(c.trainWords() + 1, c.vocabulary().size(), "every training word, plus <unk> (not in Genesis 1-3)");
        assertTrue(c.testUnknown() > 0, "Genesis 4 has names that Genesis 1-3 lacks");
        assertEquals(100, WikiText.loadBundled(100).vocabulary().size());
    }

    @Test
    void foldersWithEitherFileNamingLoadAndMissingFilesAreNamed() throws IOException {
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        Files.writeString(a.resolve("train.txt"), " x y z \n x y \n", StandardCharsets.UTF_8);
        Files.writeString(a.resolve("test.txt"), " x q \n", StandardCharsets.UTF_8);
        WikiText.Corpus c = WikiText.load(a, 0);
        // train tokens: x y z <eos> x y <eos>; vocabulary <unk> <eos> x y z
        assertArrayEquals(new int[] {2, 3, 4, 1, 2, 3, 1}, c.train());
        assertArrayEquals(new int[] {2, 0, 1}, c.test());
        assertEquals(1, c.testUnknown());

        Path b = tmp.resolve("b");
        Files.createDirectories(b);
        Files.writeString(b.resolve("wiki.train.tokens"), " x y \n", StandardCharsets.UTF_8);
        Files.writeString(b.resolve("wiki.test.tokens"), " y x \n", StandardCharsets.UTF_8);
        assertArrayEquals(new int[] {3, 2, 1}, WikiText.load(b, 0).test());

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("train.txt"), "x\n", StandardCharsets.UTF_8);
        MissingDataException e = assertThrows(MissingDataException.class, () -> WikiText.load(empty, 0));
        assertEquals(List.of("test.txt"), e.missing());
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()), e.getMessage());

        Files.write(empty.resolve("test.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        IOException bad = assertThrows(IOException.class, () -> WikiText.load(empty, 0));
        assertTrue(bad.getMessage().contains("test.txt") && bad.getMessage().contains("UTF-8"), bad.getMessage());
        assertEquals("wiki.train.tokens", WikiText.file(b, "train").getFileName().toString());
    }
}
