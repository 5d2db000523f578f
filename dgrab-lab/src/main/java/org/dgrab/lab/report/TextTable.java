package org.dgrab.lab.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for the terminal: the first column left-aligned (row labels), the others right-aligned
 * (numbers), columns separated by two spaces.
 *
 * <pre>
 * round  cd-grab     d-rr
 * 0      14.2031  14.2031
 * 1      1.84470  13.9980
 * </pre>
 */
public final class TextTable {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param header column titles, at least one
     */
    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = header.clone();
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column, printed with {@link String#valueOf(Object)}
     * @return this
     */
    public TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + header.length
                    + " columns: " + Arrays.toString(cells));
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /**
     * Prints header and rows.
     *
     * @param out destination
     */
    public void print(PrintWriter out) {
        int[] w = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            w[c] = header[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        printRow(out, header, w);
        for (String[] r : rows) {
            printRow(out, r, w);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String[] cells, int[] w) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c == 0) {
                s.append(cells[c]).append(" ".repeat(w[c] - cells[c].length()));
            } else {
                s.append("  ").append(" ".repeat(w[c] - cells[c].length())).append(cells[c]);
            }
        }
        out.println(s.toString().stripTrailing());
    }
}
