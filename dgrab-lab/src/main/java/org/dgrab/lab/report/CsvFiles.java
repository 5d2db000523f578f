package org.dgrab.lab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The CSV dialect of every result file the commands write ({@code metrics.csv}, {@code herding.csv},
 * {@code cost.csv}): RFC 4180 through Apache Commons CSV, UTF-8, {@code \n} line ends, a header row. Numbers are
 * passed in already formatted, so that a table printed on stdout and the CSV show the same digits.
 */
public final class CsvFiles {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').build();

    private CsvFiles() {
    }

    /**
     * Opens a CSV file for writing and writes its header row.
     *
     * @param file    the file (replaced if it exists)
     * @param columns column names
     * @return the printer; add rows with {@link CSVPrinter#printRecord(Object...)} and close it
     * @throws IOException if the file cannot be opened
     */
    public static CSVPrinter create(Path file, String... columns) throws IOException {
        return FORMAT.builder().setHeader(columns).build().print(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
}
