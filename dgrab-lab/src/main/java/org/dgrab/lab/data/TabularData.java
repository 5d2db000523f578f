package org.dgrab.lab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.impl.collection.CollectionRecordReader;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * The {@code logreg} command's data: a numeric CSV table read by DataVec's {@link CSVRecordReader}, turned into one
 * {@link DataSet} (features {@code [N, F]}, one-hot labels {@code [N, K]}, FLOAT) by
 * {@link RecordReaderDataSetIterator}, split at random by {@link DataSet#splitTestAndTrain(int, Random)} and
 * standardised by ND4J's {@link NormalizerStandardize} fitted on the training rows only, as dl4j-examples'
 * {@code IrisClassifier} does.
 *
 * <p>Format: comma-separated, UTF-8, gzipped if the name ends in {@code .gz}; cells may be quoted with {@code "} and
 * are trimmed; blank lines are skipped. The first non-blank line is a header when any of its cells is not a
 * number. Numbers are decimal ({@code -1.5}, {@code 2e-3}) within FLOAT's range, the iterator's data type;
 * missing values are not supported. Labels are integers
 * (written {@code 3} or {@code 3.0}); their distinct values, sorted, become the classes {@code 0..K-1}.
 *
 * <p>What DataVec does not do is done here, in as little code as it takes: the header guess and a label column
 * chosen by name; the mapping of any integer labels to the class indices the iterator needs; a check of every cell
 * first, so that a malformed table fails with a {@link CsvFormatException} naming file, line, column and what was
 * expected (the iterator would throw a bare {@code NumberFormatException}); and columns that are constant on the
 * training rows, which {@code NormalizerStandardize} would divide by its floor of 1e-5 (blowing up any test value
 * that differs) and which are mapped to 0 in every row instead, as their weight has nothing to learn from.
 *
 * @param train           training rows, standardised, the first {@code limitTrain} of them
 * @param test            test rows, standardised with the training rows' statistics, the first {@code limitTest}
 * @param source          the file, for reports
 * @param columnNames     names of all columns (from the header, else {@code column 1}, {@code column 2}, ...)
 * @param hasHeader       whether the first line was a header
 * @param labelColumn     index of the label column, 0-based
 * @param classValues     the label value of each class, ascending
 * @param rows            rows in the table
 * @param standardizer    the statistics of all training rows (before {@code limitTrain}), for new rows; the
 *                        deviation of a constant column is infinite
 * @param constantColumns feature columns constant on the training rows, mapped to 0
 */
public record TabularData(DataSet train, DataSet test, String source, List<String> columnNames, boolean hasHeader,
                          int labelColumn, long[] classValues, int rows, NormalizerStandardize standardizer,
                          int constantColumns) {
    /** Most classes accepted: more suggests that the label column is a measurement or an id. */
    public static final int MAX_CLASSES = 1000;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

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

        /** @param message the user-facing message */
        public LabelColumnException(String message) {
            super(message, 0);
        }
    }

    /**
     * Reads, splits and standardises a table. The split depends only on the table, the fraction and the seed: ND4J
     * shuffles the rows with a seed drawn from {@code new Random(seed)} and holds out {@link #testRows} of them.
     *
     * @param file        the file ({@code .gz} is decompressed)
     * @param labelColumn the label column as a 1-based number or a header name; null for the last column
     * @param skipLines   lines to ignore at the start (before the header), e.g. scikit-learn's count line
     * @param fraction    share of test rows, in {@code (0, 1)}
     * @param seed        seed of the split
     * @param limitTrain  keep only the first N training rows (in shuffled order), 0 for all
     * @param limitTest   keep only the first N test rows (in shuffled order), 0 for all
     * @return the data
     * @throws NoSuchFileException if the file does not exist
     * @throws CsvFormatException  if it is malformed or has fewer than 2 rows (the message says where and what was
     *                             expected)
     * @throws IOException         if it cannot be read
     */
    public static TabularData read(Path file, String labelColumn, int skipLines, double fraction, long seed,
                                   int limitTrain, int limitTest) throws IOException {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("test fraction " + fraction + " outside (0, 1)");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        String name = file.toString();
        List<List<Writable>> records = new ArrayList<>();
        List<Long> rawLabels = new ArrayList<>();
        List<String> header = null;
        int width = -1;
        int widthLine = 0;
        int label = -1;
        int lastLine = skipLines;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             CSVRecordReader reader = new CSVRecordReader(skipLines, ',', '"')) {
            try {
                reader.initialize(new InputStreamInputSplit(in));
            } catch (InterruptedException e) {
                // Declared by DataVec's interface; opening a stream does not wait.
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while opening " + name);
            }
            for (Record record = next(reader, name, lastLine); record != null; record = next(reader, name, lastLine)) {
                int line = (int) ((RecordMetaDataLine) record.getMetaData()).getLineNumber() + 1;
                lastLine = line;
                List<String> cells = record.getRecord().stream().map(w -> w.toString().strip()).toList();
                if (cells.size() == 1 && cells.get(0).isEmpty()) {
                    continue;
                }
                if (width < 0) {
                    width = cells.size();
                    widthLine = line;
                    if (width < 2) {
                        throw new CsvFormatException(name + " line " + line + ": 1 column; expected at least 2 "
                                + "(features and a class label), separated by commas", line);
                    }
                    boolean isHeader = !cells.stream().allMatch(c -> NUMBER.matcher(c).matches());
                    header = isHeader ? cells : null;
                    label = labelIndex(labelColumn, header, width, name);
                    if (isHeader) {
                        continue;
                    }
                } else if (cells.size() != width) {
                    throw new CsvFormatException(name + " line " + line + ": " + cells.size() + " cell"
                            + (cells.size() == 1 ? "" : "s") + ", expected " + width + " as in line " + widthLine
                            + " (ragged row)", line);
                }
                List<Writable> row = new ArrayList<>(width);
                for (int c = 0; c < width; c++) {
                    if (c == label) {
                        rawLabels.add(parseLabel(cells.get(c), where(name, line, c, header), line));
                        row.add(null);
                    } else {
                        row.add(new DoubleWritable(parseNumber(cells.get(c), where(name, line, c, header), line)));
                    }
                }
                records.add(row);
            }
        }
        if (width < 0) {
            throw new CsvFormatException(name + " is empty: no header and no data rows"
                    + (skipLines > 0 ? " after the " + skipLines + " skipped line(s)" : ""), 0);
        }
        int n = records.size();
        if (n < 2) {
            throw new CsvFormatException(name + " has " + (n == 0 ? "a header (line " + widthLine + ") but no data rows"
                    : "1 data row; a train/test split needs at least 2"), 0);
        }
        long[] classValues = new TreeSet<>(rawLabels).stream().mapToLong(Long::longValue).toArray();
        String labelName = "column " + (label + 1) + (header != null ? " '" + header.get(label) + "'" : "");
        if (classValues.length < 2) {
            throw new CsvFormatException(name + ": the label column (" + labelName + ") has only one class ("
                    + classValues[0] + "); classification needs at least 2", 0);
        }
        if (classValues.length > MAX_CLASSES) {
            throw new CsvFormatException(name + ": the label column (" + labelName + ") has " + classValues.length
                    + " distinct values, more than " + MAX_CLASSES + " classes; is it really the class label? "
                    + "Choose the column with --label-column", 0);
        }
        // The iterator wants class indices 0..K-1 in the label column.
        for (int r = 0; r < n; r++) {
            records.get(r).set(label, new IntWritable(Arrays.binarySearch(classValues, rawLabels.get(r))));
        }
        DataSet all = new RecordReaderDataSetIterator(new CollectionRecordReader(records), n, label, classValues.length)
                .next();
        SplitTestAndTrain split = all.splitTestAndTrain(n - testRows(n, fraction), new Random(seed));
        NormalizerStandardize fitted = new NormalizerStandardize();
        fitted.fit(split.getTrain());
        INDArray features = split.getTrain().getFeatures();
        INDArray std = fitted.getStd().dup();
        boolean[] constant = new boolean[(int) features.size(1)];
        int constants = 0;
        for (int j = 0; j < constant.length; j++) {
            INDArray column = features.getColumn(j);
            if (column.minNumber().doubleValue() == column.maxNumber().doubleValue()) {
                // An infinite deviation maps the column to 0 in every row, where ND4J's floor of 1e-5 would not.
                std.putScalar(j, Double.POSITIVE_INFINITY);
                constants++;
            }
        }
        NormalizerStandardize normalizer = new NormalizerStandardize(fitted.getMean(), std);
        List<String> columnNames = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            columnNames.add(header != null ? header.get(c) : "column " + (c + 1));
        }
        return new TabularData(first(split.getTrain(), limitTrain, normalizer), first(split.getTest(), limitTest,
                normalizer), name, List.copyOf(columnNames), header != null, label, classValues, n, normalizer, constants);
    }

    /** The first {@code limit} rows (0: all), standardised. */
    private static DataSet first(DataSet d, int limit, NormalizerStandardize normalizer) {
        int keep = limit > 0 && limit < d.numExamples() ? limit : d.numExamples();
        DataSet kept = ((DataSet) d.getRange(0, keep)).copy();
        normalizer.transform(kept);
        return kept;
    }

    /**
     * Test rows of a split: {@code round(fraction * rows)}, clamped to {@code [1, rows - 1]}.
     *
     * @param rows     rows in the table, at least 2
     * @param fraction test fraction
     * @return number of test rows
     */
    public static int testRows(int rows, double fraction) {
        return (int) Math.max(1, Math.min(rows - 1, Math.round(fraction * rows)));
    }

    /** @return number of feature columns */
    public int featureCount() {
        return columnNames.size() - 1;
    }

    /** @return number of classes K */
    public int classes() {
        return classValues.length;
    }

    /** @return the classes for reports, e.g. {@code 2 classes (0, 1)} */
    public String describeClasses() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d classes (", classes()));
        int shown = Math.min(classes(), 10);
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(classValues[i]);
        }
        return s.append(classes() > shown ? ", ...)" : ")").toString();
    }

    /** Resolves {@code --label-column}: a 1-based number, or a header name. */
    private static int labelIndex(String spec, List<String> header, int width, String name) throws CsvFormatException {
        if (spec == null) {
            return width - 1;
        }
        String s = spec.trim();
        if (s.matches("\\d+")) {
            int n = s.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(s);
            if (n < 1 || n > width) {
                throw new LabelColumnException(name + ": label column " + s + " does not exist; the file has " + width
                        + " columns (1.." + width + ")");
            }
            return n - 1;
        }
        if (header == null) {
            throw new LabelColumnException(name + ": label column '" + s + "' is a name, but the file has no header "
                    + "row; give a column number 1.." + width);
        }
        if (!header.contains(s)) {
            throw new LabelColumnException(name + ": no column named '" + s + "' in the header; columns: "
                    + String.join(", ", header));
        }
        return header.indexOf(s);
    }

    private static double parseNumber(String cell, String where, int line) throws CsvFormatException {
        if (!NUMBER.matcher(cell).matches()) {
            throw new CsvFormatException(where + (cell.isEmpty() ? "empty cell" : "'" + cell + "' is not a number")
                    + "; expected a decimal number such as 1.5 or -2e3 (missing values are not supported)", line);
        }
        double v = Double.parseDouble(cell);
        if (!(Math.abs(v) <= Float.MAX_VALUE)) {
            throw new CsvFormatException(where + "'" + cell + "' is beyond the range of FLOAT (about 3.4e38), the "
                    + "features' data type", line);
        }
        return v;
    }

    private static long parseLabel(String cell, String where, int line) throws CsvFormatException {
        if (NUMBER.matcher(cell).matches()) {
            double v = Double.parseDouble(cell);
            if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE) {
                return (long) v;
            }
        }
        throw new CsvFormatException(where + "class label " + (cell.isEmpty() ? "is empty" : "'" + cell
                + "' is not an integer") + "; expected an integer class such as 0, 1, 2 (choose another column with "
                + "--label-column)", line);
    }

    /** @return {@code FILE line L, column C ('NAME'): } */
    private static String where(String name, int line, int col, List<String> header) {
        return name + " line " + line + ", column " + (col + 1) + (header != null ? " ('" + header.get(col) + "')" : "")
                + ": ";
    }

    /**
     * The next record, or null at the end; a failure names the file and the line after {@code lastLine}.
     */
    private static Record next(CSVRecordReader reader, String name, int lastLine) throws IOException {
        try {
            return reader.hasNext() ? reader.nextRecord() : null;
        } catch (RuntimeException e) {
            // DataVec wraps every IOException of reading and parsing in an unchecked one.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof EOFException) {
                    throw new IOException(name + ": the data ends early, after line " + lastLine + " ("
                            + c.getMessage() + "); is the file truncated, e.g. an interrupted download?", e);
                }
                if (c instanceof IOException) {
                    String why = String.valueOf(c.getMessage()).contains("Un-terminated quoted field")
                            ? "a quoted cell is not closed (quoted cells cannot span lines)" : c.getMessage();
                    throw new CsvFormatException(name + " line " + (lastLine + 1) + ": " + why, lastLine + 1);
                }
            }
            throw e;
        }
    }
}
