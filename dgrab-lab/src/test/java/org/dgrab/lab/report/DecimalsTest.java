package org.dgrab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The shared number format ({@link Decimals}): a decimal point whatever the default locale. */
class DecimalsTest {

    @Test
    void numbersUseAPointInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("0.464020", Decimals.fixed(0.4640204, 6));
            assertEquals("1234.57", Decimals.significant(1234.5678, 6));
            assertEquals("1.00000e-07", Decimals.significant(1e-7, 6));
        } finally {
            Locale.setDefault(before);
        }
        assertEquals("0.1", Decimals.trim(0.1));
        assertEquals("2", Decimals.trim(2.0));
    }
}
