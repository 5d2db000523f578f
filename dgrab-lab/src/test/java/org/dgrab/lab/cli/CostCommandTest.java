package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dgrab.lab.Main;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dgrab cost} in-process on the bundled Fashion-MNIST sample. */
class CostCommandTest {

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void measuresEveryGranularityAgainstTheBaselineAndWritesTheCsv() throws Exception {
        Path out = tmp.resolve("cost");
        String[] r = run("cost", "--model", "mlp", "--hidden", "16", "--workers", "2", "--batch", "4", "--limit-train", "64",
                "--epochs", "2", "--repeats", "1", "--granularities", "batch,example-last-layer,example-exact",
                "--microbatch", "2", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> csv = Files.readAllLines(out.resolve("cost.csv"), StandardCharsets.UTF_8);
        assertEquals("granularity,order,repeat,epoch,epoch_seconds,ordering_seconds,messages,bytes,"
                + "train_thread_cpu_seconds,process_cpu_seconds", csv.get(0));
        // 3 granularities x 2 orders x 1 repeat x 2 epochs
        assertEquals(1 + 12, csv.size());
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            assertEquals(10, f.length, line);
            assertTrue(Double.parseDouble(f[4]) > 0, line);
            // The training thread does the epoch's steps; the process's CPU time is only checked to be there.
            assertTrue(Double.parseDouble(f[8]) > 0, line);
            assertTrue(Double.parseDouble(f[9]) >= 0, line);
            if (f[1].equals("d-rr")) {
                // The baseline ignores gradients: no time in the ordering beyond bookkeeping, no messages.
                assertEquals("0", f[6], line);
            } else {
                // CD-GraB, 2 workers x 32 examples: batch units 8 per worker -> 4 pair reports each;
                // per-example units 32 -> 16 reports each (exact: micro-batches of 2 -> 16 units -> 8 reports each);
                // plus one sign reply per worker per epoch.
                int reports = f[0].equals("batch") ? 8 : f[0].equals("example-exact") ? 16 : 32;
                assertEquals(Integer.toString(reports + 2), f[6], line);
            }
        }
        String[] lines = r[1].strip().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("cost batch=[+-]\\d+\\.\\d% example-last-layer=[+-]\\d+\\.\\d% example-exact=[+-]\\d+\\.\\d%"), last);
    }

    @Test
    void floorsAreMeasuredForBatchUnitsWithTheBaselinesOrders() throws Exception {
        Path out = tmp.resolve("floors");
        String[] r = run("cost", "--model", "mlp", "--hidden", "16", "--workers", "2", "--batch", "4", "--limit-train", "64",
                "--epochs", "2", "--repeats", "2", "--granularities", "batch,example-last-layer", "--floors",
                "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> csv = Files.readAllLines(out.resolve("cost.csv"), StandardCharsets.UTF_8);
        // batch: 5 orders, last-layer: 2 orders; x 2 repeats x 2 epochs
        assertEquals(1 + (5 + 2) * 2 * 2, csv.size());
        int floorRows = 0;
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            if (f[1].endsWith("-floor")) {
                floorRows++;
                assertEquals("batch", f[0], line);
                assertEquals("0", f[6], "a floor exchanges no messages: " + line);
                assertTrue(Double.parseDouble(f[4]) > 0, line);
            }
        }
        assertEquals(3 * 2 * 2, floorRows);
        assertTrue(r[1].contains("pair-copy-floor") && r[1].contains("offload-floor") && r[1].contains("hand-off-floor"), r[1]);
        String[] lines = r[1].strip().split("\\R");
        assertTrue(lines[lines.length - 1].matches("cost batch=[+-]\\d+\\.\\d% example-last-layer=[+-]\\d+\\.\\d%"),
                lines[lines.length - 1]);
    }

    @Test
    void alsoSyncMeasuresTheSynchronousPathInTheSameRotation() throws Exception {
        Path out = tmp.resolve("also-sync");
        String[] r = run("cost", "--model", "mlp", "--hidden", "16", "--workers", "2", "--batch", "4", "--limit-train", "64",
                "--epochs", "2", "--repeats", "3", "--granularities", "batch,example-last-layer,example-exact",
                "--microbatch", "2", "--also-sync", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> csv = Files.readAllLines(out.resolve("cost.csv"), StandardCharsets.UTF_8);
        // batch and last-layer: d-rr, cd-grab, cd-grab-sync; exact: d-rr, cd-grab; x 3 repeats x 2 epochs
        assertEquals(1 + (3 + 3 + 2) * 3 * 2, csv.size());
        Map<String, String> messages = new HashMap<>();
        List<String> firstOfRepeat = new ArrayList<>();
        String previousRepeat = "";
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            if (f[1].equals(CostCommand.SYNC)) {
                assertFalse(f[0].equals("example-exact"), line);
            }
            if (!f[1].equals("d-rr")) {
                // The same ordering on either thread exchanges the same reports.
                String other = messages.putIfAbsent(f[0] + "/" + f[3], f[6]);
                assertTrue(other == null || other.equals(f[6]), line);
            }
            String repeat = f[0] + "/" + f[2];
            if (!repeat.equals(previousRepeat) && f[0].equals("batch")) {
                firstOfRepeat.add(f[1]);
            }
            previousRepeat = repeat;
        }
        // Rotated: each of the three runs first in one of the three repeats.
        assertEquals(Set.of("d-rr", "cd-grab", CostCommand.SYNC), Set.copyOf(firstOfRepeat));
        assertTrue(r[1].contains(CostCommand.SYNC), r[1]);

        String[] both = run("cost", "--also-sync", "--sync-ordering", "--out", tmp.resolve("both").toString());
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("--also-sync") && both[2].contains("--sync-ordering"), both[2]);
    }

    @Test
    void rejectsAGradientBaselineAndBadValues() {
        String[] r = run("cost", "--baseline", "cd-grab", "--out", tmp.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--baseline") && r[2].contains("must not use gradients"), r[2]);
        r = run("cost", "--epochs", "1", "--out", tmp.resolve("y").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--epochs") && r[2].contains("2..1000"), r[2]);
        r = run("cost", "--granularities", "batch,sideways", "--out", tmp.resolve("z").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("sideways"), r[2]);
        r = run("cost", "--granularities", "batch,example-exact,batch", "--out", tmp.resolve("z").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--granularities") && r[2].contains("batch is listed twice"), r[2]);
        r = run("cost", "--lr", "NaN", "--out", tmp.resolve("z").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--lr") && r[2].contains("valid: > 0 and <= 10"), r[2]);
        // --hidden 16: the output layer's gradient has 16 x 10 + 10 = 170 values.
        r = run("cost", "--model", "mlp", "--hidden", "16", "--granularities", "batch,example-last-layer", "--sketch", "171",
                "--out", tmp.resolve("w").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--sketch") && r[2].contains("at most 170") && r[2].contains("example-last-layer"), r[2]);
        assertFalse(Files.exists(tmp.resolve("w")));
        assertFalse(Files.exists(tmp.resolve("x").resolve("cost.csv")));
    }
}
