package org.dgrab.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and error messages of {@link NumericCsv}. */
class NumericCsvTest {

    @TempDir
    Path tmp;

    private static NumericCsv.Table parse(String text, String label) throws IOException {
        return NumericCsv.parse(new BufferedReader(new StringReader(text)), "t.csv", label, 0);
    }

    private static NumericCsv.CsvFormatException fails(String text, String label) {
        return assertThrows(NumericCsv.CsvFormatException.class, () -> parse(text, label));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message should contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void aHeaderIsRecognisedByANonNumericCell() throws IOException {
        NumericCsv.Table t = parse("x1,x2,y\n1,2,0\n3.5,-4e-1,1\n", null);
        assertTrue(t.hasHeader());
        assertEquals(List.of("x1", "x2", "y"), t.columnNames());
        assertEquals(List.of("x1", "x2"), t.featureNames());
        assertEquals(2, t.rows());
        assertArrayEquals(new double[] {3.5, -0.4}, t.features()[1]);
        assertArrayEquals(new int[] {0, 1}, t.labels());
        assertArrayEquals(new int[] {2, 3}, t.dataLines());

        NumericCsv.Table n = parse("1,2,0\n3,4,1\n", null);
        assertFalse(n.hasHeader());
        assertEquals(List.of("column 1", "column 2", "column 3"), n.columnNames());
        assertEquals(2, n.rows());
        // A header with some numeric names is still a header.
        assertTrue(parse("1990,1991,class\n1,2,0\n3,4,1\n", null).hasHeader());
    }

    @Test
    void labelsAreMappedToSortedClassesAndTheColumnCanBeChosen() throws IOException {
        String text = "label,a,b\n5,1,2\n-1,3,4\n5,5,6\n2.0,7,8\n";
        for (String spec : new String[] {"1", "label", " 1 "}) {
            NumericCsv.Table t = parse(text, spec);
            assertEquals(0, t.labelColumn());
            assertArrayEquals(new long[] {-1, 2, 5}, t.classValues());
            assertArrayEquals(new int[] {2, 0, 2, 1}, t.labels());
            assertArrayEquals(new double[] {7, 8}, t.features()[3]);
            assertEquals("3 classes (-1, 2, 5)", NumericCsv.describeClasses(t));
        }
    }

    @Test
    void quotesBlankLinesAndSkippedLinesAreHandled() throws IOException {
        NumericCsv.Table t = NumericCsv.parse(new BufferedReader(new StringReader(
                "569,30,malignant,benign\n\"a, quoted\",\"b\"\"q\",y\n\n 1 , \"2\" ,0\n   \n3,4,1\n")), "t.csv", null, 1);
        assertEquals(List.of("a, quoted", "b\"q", "y"), t.columnNames());
        assertArrayEquals(new double[] {1, 2}, t.features()[0]);
        assertArrayEquals(new int[] {4, 6}, t.dataLines(), "line numbers count skipped and blank lines");
    }

    @Test
    void errorsNameLineColumnAndWhatWasExpected() {
        assertMentions(fails("a,b,y\n1,2,0\n1,x,1\n", null), "t.csv line 3, column 2 ('b')", "'x' is not a number",
                "expected a decimal number");
        assertMentions(fails("1,2,0\n1,,1\n", null), "line 2, column 2", "empty cell");
        assertMentions(fails("1,2,0\n1,NaN,1\n", null), "line 2, column 2", "'NaN' is not a number");
        assertMentions(fails("a,b,y\n1,2,0\n1,2\n", null), "t.csv line 3: 2 cells, expected 3 as in line 1",
                "ragged");
        assertMentions(fails("1,2,0\n1,2,3,4\n", null), "line 2: 4 cells, expected 3");
        assertMentions(fails("a,b,y\n1,2,0\n1,2,1.5\n", null), "line 3, column 3 ('y')", "'1.5' is not an integer");
        assertMentions(fails("a,b,y\n1,2,0\n1,2,yes\n", null), "line 3", "'yes' is not an integer");
        assertMentions(fails("a,b,y\n1,2,1\n3,4,1\n", null), "only one class (1)", "at least 2");
        assertMentions(fails("", null), "t.csv is empty");
        assertMentions(fails("\n  \n", null), "t.csv is empty");
        assertMentions(fails("a,b,y\n", null), "header (line 1) but no data rows");
        assertMentions(fails("1\n2\n", null), "line 1: 1 column", "at least 2");
        assertMentions(fails("1,2,0\n3,4,1\n", "4"), "label column 4 does not exist", "3 columns");
        assertMentions(fails("a,b,y\n1,2,0\n", "z"), "no column named 'z'", "a, b, y");
        assertMentions(fails("1,2,0\n3,4,1\n", "y"), "no header row");
        assertMentions(fails("a,\"b,y\n1,2,0\n", null), "line 1", "quoted cell is not closed");
        assertEquals(3, fails("a,b,y\n1,2,0\n1,x,1\n", null).line());
    }

    @Test
    void filesAreReadGzippedOrNot() throws IOException {
        Path plain = tmp.resolve("d.csv");
        Files.writeString(plain, "x,y\n1,0\n2,1\n", StandardCharsets.UTF_8);
        assertEquals(2, NumericCsv.read(plain, null, 0).rows());
        Path gz = tmp.resolve("d.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("x,y\n1,0\n2,1\n3,1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(3, NumericCsv.read(gz, null, 0).rows());
        assertThrows(NoSuchFileException.class, () -> NumericCsv.read(tmp.resolve("none.csv"), null, 0));
        NumericCsv.CsvFormatException e = assertThrows(NumericCsv.CsvFormatException.class,
                () -> NumericCsv.read(plain, null, 5));
        assertMentions(e, "empty", "5 skipped");
    }

    @Test
    void aTruncatedGzipFileIsNamedWithTheLineItEndsAfter() throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            StringBuilder rows = new StringBuilder("x,y\n");
            for (int i = 0; i < 2000; i++) {
                rows.append(i % 97).append(',').append(i % 2).append('\n');
            }
            o.write(rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = b.toByteArray();
        Path cut = tmp.resolve("cut.csv.gz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> NumericCsv.read(cut, null, 0));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("ends early")
                && e.getMessage().contains("truncated"), e.getMessage());
    }
}
