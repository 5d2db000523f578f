package org.dgrab.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link Progress}: its line format with a given elapsed time, and what the progressbar library draws through
 * it. The library redraws on a real-time timer, so the end-to-end cases only count lines that do not depend on it.
 */
class ProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void plainModePrintsFirstThrottledAndLastLines() {
        assertTrue(Progress.line("job", 1, 10, "step 0", 0, false).startsWith("job  10%  1/10  step 0"));
        assertEquals("job 100%  10/10  step 9  0:03 elapsed", Progress.line("job", 10, 10, "step 9", 3 * SECOND, false));
        StringWriter sw = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(sw), "job", 10, false, 200)) {
            for (int i = 0; i < 10; i++) {
                p.step("step " + i);
            }
        }
        String out = sw.toString();
        assertFalse(out.contains("\r"), "plain mode must not use carriage returns");
        String[] lines = out.strip().split("\n");
        // At most the first state when the timer starts and the last on close: ten quick steps fit in one interval.
        assertTrue(lines.length <= 3, "throttled to about one line a second: " + out);
        assertTrue(lines[lines.length - 1].startsWith("job 100%  10/10  step 9"), lines[lines.length - 1]);
    }

    @Test
    void plainModeShowsHeldBackStateOnClose() {
        StringWriter sw = new StringWriter();
        Progress p = new Progress(new PrintWriter(sw), "job", 10, false, 200);
        p.step("a");
        p.step("b");
        p.close();
        p.close();
        String[] lines = sw.toString().strip().split("\n");
        assertTrue(lines[lines.length - 1].contains("2/10  b"), lines[lines.length - 1]);
        assertThrows(IllegalStateException.class, () -> p.step("c"));
    }

    @Test
    void barRedrawsOneLineAndEndsWithNewline() {
        assertTrue(Progress.line("job", 1, 4, "a long first detail", SECOND, true)
                .startsWith("job [######..................]  25%  1/4  a long first detail"));
        assertEquals("job [############............]  50%  2/4  x  0:10 elapsed, ~0:10 left",
                Progress.line("job", 2, 4, "x", 10 * SECOND, true));
        StringWriter sw = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(sw), "job", 4, true, 200)) {
            for (int i = 0; i < 4; i++) {
                p.step(i == 0 ? "a long first detail" : "x");
            }
        }
        String out = sw.toString();
        assertTrue(out.startsWith("\rjob ["), out);
        assertTrue(out.contains("[########################] 100%  4/4  x"), out);
        assertTrue(out.endsWith("\n"), "the bar's line is ended on close");
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
    }

    @Test
    void barIsCutToTheTerminalWidth() {
        StringWriter sw = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(sw), "job", 2, true, 40)) {
            p.step("a detail that would never fit into forty columns");
        }
        String[] drawn = sw.toString().replace("\n", "").split("\r");
        for (String d : drawn) {
            assertTrue(d.length() <= 39, "longer than the terminal: " + d);
        }
        assertEquals(39, drawn[drawn.length - 1].length(), "the last line, cut: " + drawn[drawn.length - 1]);
    }

    @Test
    void formatsDurationsAndRejectsBadTotals() {
        assertEquals("0:05", Progress.duration(5_000_000_000L));
        assertEquals("2:03", Progress.duration(123_000_000_000L));
        assertEquals("1:00:01", Progress.duration(3601_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> new Progress(new PrintWriter(new StringWriter()), "x", 0, false));
    }
}
