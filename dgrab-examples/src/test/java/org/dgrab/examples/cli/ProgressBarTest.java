package org.dgrab.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** Tests {@link ProgressBar} with a fake clock. */
class ProgressBarTest {

    private long now;

    @Test
    void plainModePrintsFirstThrottledAndLastLines() {
        StringWriter sw = new StringWriter();
        try (ProgressBar p = new ProgressBar(new PrintWriter(sw), "job", 10, false, () -> now, 200)) {
            for (int i = 0; i < 10; i++) {
                now += 300_000_000L; // 0.3 s per step: one line per second at most
                p.step("step " + i);
            }
        }
        String out = sw.toString();
        assertFalse(out.contains("\r"), "plain mode must not use carriage returns");
        String[] lines = out.strip().split("\n");
        assertTrue(lines.length >= 3 && lines.length <= 5, "throttled to about one line a second: " + out);
        assertTrue(lines[0].startsWith("job  10%  1/10  step 0"), lines[0]);
        assertTrue(lines[lines.length - 1].startsWith("job 100%  10/10  step 9"), lines[lines.length - 1]);
    }

    @Test
    void plainModeShowsHeldBackStateOnClose() {
        StringWriter sw = new StringWriter();
        ProgressBar p = new ProgressBar(new PrintWriter(sw), "job", 10, false, () -> now, 200);
        p.step("a");
        p.step("b");
        p.close();
        p.close();
        String[] lines = sw.toString().strip().split("\n");
        assertEquals(2, lines.length, sw.toString());
        assertTrue(lines[1].contains("2/10  b"), lines[1]);
        assertThrows(IllegalStateException.class, () -> p.step("c"));
    }

    @Test
    void barRedrawsOneLineAndEndsWithNewline() {
        StringWriter sw = new StringWriter();
        try (ProgressBar p = new ProgressBar(new PrintWriter(sw), "job", 4, true, () -> now, 200)) {
            for (int i = 0; i < 4; i++) {
                now += 200_000_000L;
                p.step(i == 0 ? "a long first detail" : "x");
            }
        }
        String out = sw.toString();
        assertTrue(out.startsWith("\rjob [######..................]  25%  1/4  a long first detail"), out);
        assertTrue(out.contains("[########################] 100%  4/4  x"), out);
        assertTrue(out.endsWith("\n"), "the bar's line is ended on close");
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
    }

    @Test
    void barIsCutToTheTerminalWidth() {
        StringWriter sw = new StringWriter();
        try (ProgressBar p = new ProgressBar(new PrintWriter(sw), "job", 2, true, () -> now, 40)) {
            p.step("a detail that would never fit into forty columns");
        }
        String line = sw.toString().replace("\r", "").strip();
        assertEquals(39, line.length(), line);
    }

    @Test
    void formatsDurationsAndRejectsBadTotals() {
        assertEquals("0:05", ProgressBar.duration(5_000_000_000L));
        assertEquals("2:03", ProgressBar.duration(123_000_000_000L));
        assertEquals("1:00:01", ProgressBar.duration(3601_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(new PrintWriter(new StringWriter()), "x", 0, false));
    }
}
