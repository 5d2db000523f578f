package org.dgrab.examples.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A numeric classification table from a CSV file, for the logistic-regression example: every cell a number, one
 * column an integer class label (the last unless chosen otherwise), an optional header row.
 *
 * <p>Format: comma-separated, UTF-8, optionally gzipped (a name ending in {@code .gz}); cells may be quoted with
 * {@code "} ({@code ""} inside quotes is a quote; a quoted cell cannot span lines) and are trimmed; blank lines are
 * skipped. The cells are split by Apache Commons CSV; this class adds what a CSV library does not know: the header
 * guess, the label column, and messages naming file, line and column. The first non-blank
 * line is a header when any of its cells is not a number. Numbers are decimal ({@code -1.5}, {@code 2e-3}), finite;
 * missing values are not supported. Labels are integers (written {@code 3} or {@code 3.0}); their distinct values,
 * sorted, become the classes {@code 0..K-1}.
 *
 * <p>Malformed input fails with a {@link CsvFormatException} naming the file, line, column and what was expected.
 */
public final class NumericCsv {
    /** Most classes accepted: more suggests that the label column is a measurement or an id. */
    public static final int MAX_CLASSES = 1000;

    /**
     * RFC 4180 cells through Apache Commons CSV, spaces around a cell ignored; blank lines are kept as records so
     * that every record is one line and line numbers in messages stay exact.
     */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(false).build();

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private NumericCsv() {
    }

    /** A malformed CSV file; the message names file, line and column. */
    public static class CsvFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /** Line of the error, 1-based, or 0 when it concerns the whole file. */
        private final int line;

        /**
         * @param message the user-facing message
         * @param line    line number, 1-based, 0 for the whole file
         */
        public CsvFormatException(String message, int line) {
            super(message);
            this.line = line;
        }

        /** @return the line of the error, 1-based, or 0 when it concerns the whole file */
        public int line() {
            return line;
        }
    }

    /**
     * The label column that was asked for is not in the table (a number beyond its width, a name not in its header,
     * a name for a file without one): the table is fine, the request is not, so a command reports it as an invalid
     * option.
     */
    public static final class LabelColumnException extends CsvFormatException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message the user-facing message
         * @param line    always 0: it concerns the whole file
         */
        public LabelColumnException(String message, int line) {
            super(message, line);
        }
    }

    /**
     * A parsed table.
     *
     * @param source       file name, for reports
     * @param columnNames  names of all columns (from the header, else {@code column 1}, {@code column 2}, ...)
     * @param hasHeader    whether the first line was a header
     * @param labelColumn  index of the label column, 0-based
     * @param features     feature rows (every column but the label, in file order), one per data line
     * @param labels       class of each row, {@code 0..K-1}
     * @param classValues  the label value of each class, ascending
     * @param dataLines    the line number of each row, 1-based (for messages)
     */
    public record Table(String source, List<String> columnNames, boolean hasHeader, int labelColumn,
                        double[][] features, int[] labels, long[] classValues, int[] dataLines) {

        /** @return number of rows */
        public int rows() {
            return labels.length;
        }

        /** @return number of feature columns */
        public int featureCount() {
            return columnNames.size() - 1;
        }

        /** @return number of classes K */
        public int classes() {
            return classValues.length;
        }

        /** @return the names of the feature columns, in order */
        public List<String> featureNames() {
            List<String> f = new ArrayList<>(columnNames);
            f.remove(labelColumn);
            return f;
        }
    }

    /**
     * Reads a CSV file.
     *
     * @param file        the file ({@code .gz} is decompressed)
     * @param labelColumn the label column as a 1-based number or a header name; null for the last column
     * @param skipLines   lines to ignore at the start (before the header), e.g. scikit-learn's count line
     * @return the table
     * @throws NoSuchFileException if the file does not exist
     * @throws CsvFormatException  if it is malformed (the message says where and what was expected)
     * @throws IOException         if it cannot be read
     */
    public static Table read(Path file, String labelColumn, int skipLines) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            return parse(r, file.toString(), labelColumn, skipLines);
        }
    }

    /**
     * Parses CSV text.
     *
     * @param in          the text
     * @param name        its name in messages (e.g. the file name)
     * @param labelColumn the label column as a 1-based number or a header name; null for the last column
     * @param skipLines   lines to ignore at the start; line numbers in messages still count them
     * @return the table
     * @throws CsvFormatException if it is malformed
     * @throws IOException        if reading fails
     */
    public static Table parse(BufferedReader in, String name, String labelColumn, int skipLines) throws IOException {
        List<String> header = null;
        int width = -1;
        int widthLine = 0;
        int label = -1;
        List<double[]> rows = new ArrayList<>();
        List<Long> rawLabels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int skipped = 0; skipped < skipLines && in.readLine() != null; skipped++) {
            // lines before the table, e.g. scikit-learn's count line
        }
        int lineNo = skipLines;
        CSVParser parser = FORMAT.parse(in);
        Iterator<CSVRecord> records = parser.iterator();
        for (CSVRecord record = next(records, name, lineNo); record != null; record = next(records, name, lineNo)) {
            int line = skipLines + (int) parser.getCurrentLineNumber();
            if (line != lineNo + 1) {
                // Each line is one record unless a quoted cell runs on over the line end.
                throw new CsvFormatException(name + " line " + (lineNo + 1) + ": a quoted cell is not closed (quoted "
                        + "cells cannot span lines)", lineNo + 1);
            }
            lineNo = line;
            List<String> cells = new ArrayList<>(record.size());
            for (String c : record) {
                cells.add(c.strip());
            }
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (width < 0) {
                width = cells.size();
                widthLine = lineNo;
                if (width < 2) {
                    throw new CsvFormatException(name + " line " + lineNo + ": 1 column; expected at least 2 "
                            + "(features and a class label), separated by commas", lineNo);
                }
                boolean isHeader = false;
                for (String c : cells) {
                    if (!NUMBER.matcher(c).matches()) {
                        isHeader = true;
                        break;
                    }
                }
                if (isHeader) {
                    header = cells;
                }
                label = labelIndex(labelColumn, header, width, name);
                if (isHeader) {
                    continue;
                }
            } else if (cells.size() != width) {
                throw new CsvFormatException(name + " line " + lineNo + ": " + cells.size() + " cell"
                        + (cells.size() == 1 ? "" : "s") + ", expected " + width + " as in line " + widthLine
                        + " (ragged row)", lineNo);
            }
            double[] features = new double[width - 1];
            int k = 0;
            for (int c = 0; c < width; c++) {
                String cell = cells.get(c);
                if (c == label) {
                    rawLabels.add(parseLabel(cell, name, lineNo, c, header));
                } else {
                    features[k++] = parseNumber(cell, name, lineNo, c, header);
                }
            }
            rows.add(features);
            lines.add(lineNo);
        }
        if (width < 0) {
            throw new CsvFormatException(name + " is empty: no header and no data rows"
                    + (skipLines > 0 ? " after the " + skipLines + " skipped line(s)" : ""), 0);
        }
        if (rows.isEmpty()) {
            throw new CsvFormatException(name + " has a header (line " + widthLine + ") but no data rows", 0);
        }
        TreeSet<Long> distinct = new TreeSet<>(rawLabels);
        String labelName = columnName(label, header);
        if (distinct.size() < 2) {
            throw new CsvFormatException(name + ": the label column (" + labelName + ") has only one class ("
                    + distinct.first() + "); classification needs at least 2", 0);
        }
        if (distinct.size() > MAX_CLASSES) {
            throw new CsvFormatException(name + ": the label column (" + labelName + ") has " + distinct.size()
                    + " distinct values, more than " + MAX_CLASSES + " classes; is it really the class label? "
                    + "Choose the column with --label-column", 0);
        }
        long[] classValues = new long[distinct.size()];
        int i = 0;
        for (long v : distinct) {
            classValues[i++] = v;
        }
        int[] labels = new int[rawLabels.size()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = Arrays.binarySearch(classValues, rawLabels.get(r));
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            names.add(header != null ? header.get(c) : "column " + (c + 1));
        }
        int[] dataLines = lines.stream().mapToInt(Integer::intValue).toArray();
        return new Table(name, names, header != null, label, rows.toArray(new double[0][]), labels, classValues,
                dataLines);
    }

    /** Resolves {@code --label-column}: a 1-based number, or a header name. */
    private static int labelIndex(String spec, List<String> header, int width, String name) throws CsvFormatException {
        if (spec == null) {
            return width - 1;
        }
        String s = spec.trim();
        if (s.matches("\\d+")) {
            int n;
            try {
                n = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                n = Integer.MAX_VALUE;
            }
            if (n < 1 || n > width) {
                throw new LabelColumnException(name + ": label column " + s + " does not exist; the file has " + width
                        + " columns (1.." + width + ")", 0);
            }
            return n - 1;
        }
        if (header != null) {
            int i = header.indexOf(s);
            if (i >= 0) {
                return i;
            }
            throw new LabelColumnException(name + ": no column named '" + s + "' in the header; columns: "
                    + String.join(", ", header), 0);
        }
        throw new LabelColumnException(name + ": label column '" + s + "' is a name, but the file has no header row; "
                + "give a column number 1.." + width, 0);
    }

    private static double parseNumber(String cell, String name, int line, int col, List<String> header)
            throws CsvFormatException {
        if (!NUMBER.matcher(cell).matches()) {
            throw new CsvFormatException(where(name, line, col, header) + (cell.isEmpty() ? "empty cell"
                    : "'" + cell + "' is not a number") + "; expected a decimal number such as 1.5 or -2e3 "
                    + "(missing values are not supported)", line);
        }
        double v = Double.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw new CsvFormatException(where(name, line, col, header) + "'" + cell + "' overflows a double", line);
        }
        return v;
    }

    private static long parseLabel(String cell, String name, int line, int col, List<String> header)
            throws CsvFormatException {
        if (NUMBER.matcher(cell).matches()) {
            double v = Double.parseDouble(cell);
            if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE) {
                return (long) v;
            }
        }
        throw new CsvFormatException(where(name, line, col, header) + "class label "
                + (cell.isEmpty() ? "is empty" : "'" + cell + "' is not an integer")
                + "; expected an integer class such as 0, 1, 2 (choose another column with --label-column)", line);
    }

    private static String where(String name, int line, int col, List<String> header) {
        return name + " line " + line + ", column " + (col + 1)
                + (header != null ? " ('" + header.get(col) + "')" : "") + ": ";
    }

    private static String columnName(int col, List<String> header) {
        return "column " + (col + 1) + (header != null ? " '" + header.get(col) + "'" : "");
    }

    /**
     * The next record, or null at the end; errors name the file and the line after {@code lineNo}.
     */
    private static CSVRecord next(Iterator<CSVRecord> records, String name, int lineNo) throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (IllegalStateException | UncheckedIOException e) {
            // Commons CSV's iterator wraps every IOException, its own format errors included.
            Throwable cause = e.getCause();
            if (cause instanceof EOFException) {
                throw new IOException(name + ": the data ends early, after line " + lineNo + " (" + cause.getMessage()
                        + "); is the file truncated, e.g. an interrupted download?", cause);
            }
            if (!(cause instanceof IOException)) {
                throw e;
            }
            String why = String.valueOf(cause.getMessage()).contains("EOF reached before encapsulated token finished")
                    ? "a quoted cell is not closed (quoted cells cannot span lines)" : cause.getMessage();
            throw new CsvFormatException(name + " line " + (lineNo + 1) + ": " + why, lineNo + 1);
        }
    }

    /**
     * Describes the classes for reports, e.g. {@code 2 classes (0, 1)}.
     *
     * @param t a table
     * @return a short description
     */
    public static String describeClasses(Table t) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d classes (", t.classes()));
        int shown = Math.min(t.classes(), 10);
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(t.classValues()[i]);
        }
        return s.append(t.classes() > shown ? ", ...)" : ")").toString();
    }
}
