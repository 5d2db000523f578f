package org.dgrab.lab.report;

import java.util.Locale;

/**
 * The one formatter of numbers in the command line's tables, CSV files and summary lines: always with
 * {@link Locale#ROOT} (a decimal point whatever the user's locale, so that files parse and tests compare), fixed or
 * significant digits as the call site chooses. A table and a CSV that format a value with the same call agree digit
 * for digit.
 */
public final class Decimals {
    private Decimals() {
    }

    /**
     * @param v      the value
     * @param digits digits after the point
     * @return e.g. {@code fixed(0.4640204, 6)} is {@code 0.464020}
     */
    public static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * For values that span orders of magnitude (herding bounds).
     *
     * @param v      the value
     * @param digits significant digits
     * @return e.g. {@code significant(1234.5678, 6)} is {@code 1234.57}
     */
    public static String significant(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "g", v);
    }

    /**
     * @param v a value as the user gave it, e.g. a learning rate
     * @return its shortest representation without a trailing {@code .0}: {@code 0.1}, {@code 2}
     */
    public static String trim(double v) {
        String s = String.valueOf(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
