package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dgrab.lab.experiment.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartialMetrics}: metrics.csv holds every row so far, in the final file's order, and a failure only warns. */
class PartialMetricsTest {

    private static MetricsRow row(String order, long seed, int epoch) {
        return new MetricsRow(order, seed, epoch, 1.0 / (epoch + 1), 0.5, 0.25, epoch, 0, epoch, Double.NaN);
    }

    @Test
    void theFileHoldsEveryRowSoFarSortedLikeTheFinalOne(@TempDir Path dir) throws IOException {
        StringWriter err = new StringWriter();
        PartialMetrics partial = new PartialMetrics(dir, List.of("cd-grab", "d-rr"), List.of(3L, 1L),
                new PrintWriter(err), "test");
        Path csv = dir.resolve(TrainingRun.CSV);

        partial.add(row("d-rr", 1, 0));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size(), "header and one row");
        assertTrue(lines.get(0).startsWith("order,seed,epoch,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("d-rr,1,0,"), lines.get(1));

        partial.add(row("cd-grab", 1, 0));
        partial.add(row("cd-grab", 3, 0));
        partial.add(row("cd-grab", 3, 1));
        lines = Files.readAllLines(csv);
        assertEquals(5, lines.size());
        // Orders as given, then seeds as given (3 before 1), then epochs.
        assertTrue(lines.get(1).startsWith("cd-grab,3,0,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("cd-grab,3,1,"), lines.get(2));
        assertTrue(lines.get(3).startsWith("cd-grab,1,0,"), lines.get(3));
        assertTrue(lines.get(4).startsWith("d-rr,1,0,"), lines.get(4));
        assertEquals("", err.toString());
    }

    @Test
    void aFailedWriteWarnsOnceAndTrainingGoesOn(@TempDir Path dir) throws IOException {
        // A directory where the file should go: every write fails.
        Files.createDirectories(dir.resolve(TrainingRun.CSV));
        StringWriter err = new StringWriter();
        PartialMetrics partial = new PartialMetrics(dir, List.of("d-rr"), List.of(0L), new PrintWriter(err), "test");
        partial.add(row("d-rr", 0, 0));
        partial.add(row("d-rr", 0, 1));
        String warning = err.toString();
        assertTrue(warning.startsWith("test: could not update " + dir.resolve(TrainingRun.CSV) + " while training ("),
                warning);
        assertTrue(warning.contains("training goes on"), warning);
        assertEquals(1, warning.lines().count(), "warned once: " + warning);
    }
}
