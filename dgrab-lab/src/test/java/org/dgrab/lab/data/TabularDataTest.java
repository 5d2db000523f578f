package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reading, splitting and standardising a CSV table ({@link TabularData}), and its error messages. */
class TabularDataTest {

    @TempDir
    Path tmp;

    private TabularData read(String text, String label, int skip) throws IOException {
        return TabularData.read(Files.writeString(tmp.resolve("t.csv"), text, StandardCharsets.UTF_8), label, skip, 0.5,
                0, 0, 0);
    }

    private TabularData.CsvFormatException fails(String text, String label) {
        return assertThrows(TabularData.CsvFormatException.class, () -> read(text, label, 0));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message should contain '" + p + "': " + e.getMessage());
        }
    }

    /** A table {@code x, c, y} whose x is the row's id, c constant and y alternating. */
    private Path ids(int rows) throws IOException {
        StringBuilder csv = new StringBuilder("x,c,y\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",7,").append(i % 2).append('\n');
        }
        return Files.writeString(tmp.resolve("ids.csv"), csv);
    }

    /** The ids of the rows, by undoing the standardisation of column x. */
    private static Set<Integer> rowIds(TabularData d, INDArray standardised) {
        INDArray raw = standardised.dup();
        d.standardizer().revertFeatures(raw);
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < raw.rows(); i++) {
            ids.add((int) Math.round(raw.getDouble(i, 0)));
        }
        return ids;
    }

    @Test
    void aHeaderIsRecognisedByANonNumericCellAndLabelsAreMappedToSortedClasses() throws IOException {
        TabularData t = read("x1,x2,y\n1,2,0\n3.5,-4e-1,1\n", null, 0);
        assertTrue(t.hasHeader());
        assertEquals(List.of("x1", "x2", "y"), t.columnNames());
        assertEquals(2, t.rows());
        assertEquals(2, t.featureCount());
        TabularData n = read("1,2,0\n3,4,1\n", null, 0);
        assertFalse(n.hasHeader());
        assertEquals(List.of("column 1", "column 2", "column 3"), n.columnNames());
        // A header with some numeric names is still a header.
        assertTrue(read("1990,1991,class\n1,2,0\n3,4,1\n", null, 0).hasHeader());

        String text = "label,a,b\n5,1,2\n-1,3,4\n5,5,6\n2.0,7,8\n";
        for (String spec : new String[] {"1", "label", " 1 "}) {
            TabularData l = read(text, spec, 0);
            assertEquals(0, l.labelColumn());
            assertArrayEquals(new long[] {-1, 2, 5}, l.classValues());
            assertEquals("3 classes (-1, 2, 5)", l.describeClasses());
            // Every row keeps its class: one-hot columns count 1 of -1, 1 of 2 and 2 of 5.
            INDArray perClass = l.train().getLabels().sum(0).add(l.test().getLabels().sum(0));
            assertArrayEquals(new float[] {1, 1, 2}, perClass.toFloatVector(), 0);
        }
    }

    @Test
    void quotesBlankLinesAndSkippedLinesAreHandled() throws IOException {
        TabularData t = read("569,30,malignant,benign\n\"a, quoted\",\"b\"\"q\",y\n\n 1 , 2 ,0\n   \n3,4,1\n", null, 1);
        assertEquals(List.of("a, quoted", "b\"q", "y"), t.columnNames());
        assertEquals(2, t.rows());
    }

    @Test
    void errorsNameLineColumnAndWhatWasExpected() {
        assertMentions(fails("a,b,y\n1,2,0\n1,x,1\n", null), "t.csv line 3, column 2 ('b')", "'x' is not a number",
                "expected a decimal number");
        assertMentions(fails("1,2,0\n1,,1\n", null), "line 2, column 2", "empty cell");
        assertMentions(fails("1,2,0\n1,NaN,1\n", null), "line 2, column 2", "'NaN' is not a number");
        assertMentions(fails("1,2,0\n1,1e39,1\n", null), "line 2, column 2", "'1e39' is beyond the range of FLOAT");
        assertMentions(fails("a,b,y\n1,2,0\n1,2\n", null), "t.csv line 3: 2 cells, expected 3 as in line 1",
                "ragged");
        assertMentions(fails("1,2,0\n1,2,3,4\n", null), "line 2: 4 cells, expected 3");
        assertMentions(fails("a,b,y\n1,2,0\n1,2,1.5\n", null), "line 3, column 3 ('y')", "'1.5' is not an integer");
        assertMentions(fails("a,b,y\n1,2,0\n1,2,yes\n", null), "line 3", "'yes' is not an integer");
        assertMentions(fails("a,b,y\n1,2,1\n3,4,1\n", null), "only one class (1)", "at least 2");
        assertMentions(fails("", null), "t.csv is empty");
        assertMentions(fails("\n  \n", null), "t.csv is empty");
        assertMentions(fails("a,b,y\n", null), "header (line 1) but no data rows");
        assertMentions(fails("a,b,y\n1,2,0\n", null), "1 data row; a train/test split needs at least 2");
        assertMentions(fails("1\n2\n", null), "line 1: 1 column", "at least 2");
        assertMentions(fails("1,2,0\n3,4,1\n", "4"), "label column 4 does not exist", "3 columns");
        assertMentions(fails("a,b,y\n1,2,0\n", "z"), "no column named 'z'", "a, b, y");
        assertMentions(fails("1,2,0\n3,4,1\n", "y"), "no header row");
        assertTrue(fails("1,2,0\n3,4,1\n", "y") instanceof TabularData.LabelColumnException);
        assertMentions(fails("a,\"b,y\n1,2,0\n", null), "line 1", "quoted cell is not closed");
        assertEquals(3, fails("a,b,y\n1,2,0\n1,x,1\n", null).line());
    }

    @Test
    void filesAreReadGzippedOrNot() throws IOException {
        Path plain = Files.writeString(tmp.resolve("d.csv"), "x,y\n1,0\n2,1\n", StandardCharsets.UTF_8);
        assertEquals(2, TabularData.read(plain, null, 0, 0.5, 0, 0, 0).rows());
        Path gz = tmp.resolve("d.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("x,y\n1,0\n2,1\n3,1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(3, TabularData.read(gz, null, 0, 0.5, 0, 0, 0).rows());
        assertThrows(NoSuchFileException.class, () -> TabularData.read(tmp.resolve("none.csv"), null, 0, 0.5, 0, 0, 0));
        assertMentions(assertThrows(TabularData.CsvFormatException.class,
                () -> TabularData.read(plain, null, 5, 0.5, 0, 0, 0)), "empty", "5 skipped");
    }

    @Test
    void aTruncatedGzipFileIsNamedWithTheLineItEndsAfter() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            StringBuilder rows = new StringBuilder("x,y\n");
            for (int i = 0; i < 2000; i++) {
                rows.append(i % 97).append(',').append(i % 2).append('\n');
            }
            o.write(rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = b.toByteArray();
        Path cut = Files.write(tmp.resolve("cut.csv.gz"), java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> TabularData.read(cut, null, 0, 0.5, 0, 0, 0));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("ends early")
                && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void theSplitIsSeededDisjointAndStandardisedWithTrainingStatistics() throws IOException {
        Path file = ids(50);
        TabularData a = TabularData.read(file, null, 0, 0.2, 3, 0, 0);
        assertEquals(40, a.train().numExamples());
        assertEquals(10, a.test().numExamples());
        Set<Integer> train = rowIds(a, a.train().getFeatures());
        Set<Integer> test = rowIds(a, a.test().getFeatures());
        assertEquals(40, train.size());
        assertEquals(10, test.size());
        train.retainAll(test);
        assertTrue(train.isEmpty(), "train and test rows are disjoint");
        // Training features have mean 0 and standard deviation 1; the constant column is 0 everywhere.
        assertEquals(0, a.train().getFeatures().getColumn(0).meanNumber().doubleValue(), 1e-6);
        assertEquals(1, a.train().getFeatures().getColumn(0).std(false, 0).getDouble(0), 1e-5);
        assertEquals(0, a.test().getFeatures().getColumn(1).amaxNumber().doubleValue(), 0);
        assertEquals(1, a.constantColumns());
        // Labels are one-hot.
        assertArrayEquals(new long[] {10, 2}, a.test().getLabels().shape());
        assertEquals(10, a.test().getLabels().sumNumber().intValue());

        // Same seed, same split; another seed, another split.
        assertEquals(a.test().getFeatures(), TabularData.read(file, null, 0, 0.2, 3, 0, 0).test().getFeatures());
        assertNotEquals(a.test().getFeatures(), TabularData.read(file, null, 0, 0.2, 4, 0, 0).test().getFeatures());
        // Limits keep the first rows and do not change the statistics.
        TabularData l = TabularData.read(file, null, 0, 0.2, 3, 5, 2);
        assertEquals(5, l.train().numExamples());
        assertEquals(2, l.test().numExamples());
        assertEquals(a.standardizer().getMean(), l.standardizer().getMean());
        assertEquals(a.train().getFeatures().getRow(4), l.train().getFeatures().getRow(4));
    }

    @Test
    void aColumnConstantOnTheTrainingRowsIsZeroEvenWhereATestValueDiffers() throws IOException {
        // c is 5 but in the last row: constant on the training rows exactly when that row is held out.
        StringBuilder csv = new StringBuilder("x,c,y\n");
        for (int i = 0; i < 10; i++) {
            csv.append(i).append(i == 9 ? ",9," : ",5,").append(i % 2).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("c.csv"), csv);
        for (long seed = 0; seed < 64; seed++) {
            TabularData d = TabularData.read(file, null, 0, 0.5, seed, 0, 0);
            boolean constant = d.train().getFeatures().getColumn(1).maxNumber().doubleValue()
                    == d.train().getFeatures().getColumn(1).minNumber().doubleValue();
            if (d.constantColumns() == 1) {
                assertEquals(0, d.train().getFeatures().getColumn(1).amaxNumber().doubleValue(), 0);
                assertEquals(0, d.test().getFeatures().getColumn(1).amaxNumber().doubleValue(), 0,
                        "the test row's 9 is not blown up");
                return;
            }
            assertFalse(constant);
        }
        throw new AssertionError("no seed of 0..63 holds out the row with c = 9");
    }

    @Test
    void tinyTablesKeepAtLeastOneRowOnEachSide() throws IOException {
        assertEquals(1, TabularData.testRows(2, 0.01));
        assertEquals(1, TabularData.testRows(2, 0.99));
        assertEquals(2, TabularData.testRows(10, 0.2));
        TabularData s = TabularData.read(ids(2), null, 0, 0.5, 0, 0, 0);
        assertEquals(1, s.train().numExamples());
        assertEquals(1, s.test().numExamples());
        assertThrows(IllegalArgumentException.class, () -> TabularData.read(ids(2), null, 0, 1.0, 0, 0, 0));
    }
}
