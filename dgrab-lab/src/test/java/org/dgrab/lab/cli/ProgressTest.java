package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link Progress}: what the progressbar library draws through it, as plain lines or as a bar redrawn in
 * place. The library redraws on a real-time timer, so the cases only count lines that do not depend on it.
 */
class ProgressTest {

    @Test
    void plainModePrintsThrottledLinesEndingWithTheLastState() {
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
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("job 100% [") && last.contains("] 10/10 (") && last.endsWith(") step 9"), last);
        assertFalse(lines.length > 1 && lines[lines.length - 2].equals(last), "the final state once: " + out);
        assertTrue(last.length() > 100, "plain lines are not cut to a terminal: " + last);
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
        String last = lines[lines.length - 1];
        assertTrue(last.matches("job  20% \\[=+ +\\] +2/10 \\(0:00:0\\d / .*\\) b"), last);
        assertThrows(IllegalStateException.class, () -> p.step("c"));
    }

    @Test
    void barRedrawsOneLineCutToTheTerminalAndEndsWithNewline() {
        StringWriter sw = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(sw), "job", 4, true, 60)) {
            for (int i = 0; i < 4; i++) {
                p.step(i == 0 ? "a detail that would never fit into sixty columns beside the bar" : "x");
            }
        }
        String out = sw.toString();
        assertTrue(out.startsWith("\rjob "), out);
        assertTrue(out.endsWith("\n"), "the bar's line is ended on close");
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
        String[] drawn = out.substring(1, out.length() - 1).split("\r");
        for (String d : drawn) {
            assertTrue(d.length() <= 59, "longer than the terminal: " + d);
        }
        String last = drawn[drawn.length - 1];
        assertTrue(last.startsWith("job 100% [====") && last.contains("] 4/4 (") && last.endsWith(") x"), last);
    }

    @Test
    void rejectsBadTotals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Progress(new PrintWriter(new StringWriter()), "x", 0, false));
        assertEquals("progress total must be >= 1, got 0", e.getMessage());
    }
}
