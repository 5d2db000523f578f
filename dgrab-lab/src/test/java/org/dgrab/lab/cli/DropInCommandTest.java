package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dgrab.lab.data.TestFiles;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.report.LineChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drop-in} on tiny generated Fashion-MNIST files. */
class DropInCommandTest {

    @TempDir
    Path tmp;

    private Path data() throws IOException {
        Path data = tmp.resolve("fashion");
        if (!Files.exists(data)) {
            TestFiles.writeFashion(data, 64, 20, true);
        }
        return data;
    }

    private CommandRun run(Path out, String seeds, String orders, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("drop-in", "--data-dir", data().toString(), "--seeds", seeds,
                "--epochs", "2", "--batch", "8", "--lr", "0.1", "--orders", orders, "--out", out.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args);
    }

    private static List<CSVRecord> records(Path csv) throws IOException {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            assertEquals(List.of(MetricsRow.columns()), p.getHeaderNames(), "the training commands' metrics.csv");
            return p.getRecords();
        }
    }

    @Test
    void writesMetricsCsvAndChartAndPrintsSummaryAndTimeToLines() throws IOException {
        Path out = tmp.resolve("out");
        CommandRun r = run(out, "1,2", "dl4j-shuffle,cd-grab,rr");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.err().contains("wrote " + out.toAbsolutePath().resolve("metrics.csv")), r.err());
        List<CSVRecord> rows = records(out.resolve("metrics.csv"));
        assertEquals(3 * 2 * 3, rows.size(), "3 methods x 2 seeds x epochs 0..2");
        String[] expectedOrder = {"dl4j-shuffle", "cd-grab", "d-rr"};
        double cumulative = 0;
        for (int i = 0; i < rows.size(); i++) {
            CSVRecord c = rows.get(i);
            // Sorted by method (in --orders order, the alias named by its id), then seed, then epoch.
            assertEquals(expectedOrder[i / 6], c.get("order"), c::toString);
            assertEquals(i % 6 < 3 ? "1" : "2", c.get("seed"), c::toString);
            int epoch = Integer.parseInt(c.get("epoch"));
            assertEquals(i % 3, epoch, c::toString);
            double loss = Double.parseDouble(c.get("train_loss"));
            assertTrue(Double.isFinite(loss) && loss > 0, c::toString);
            assertTrue(Double.parseDouble(c.get("test_loss")) > 0, c::toString);
            double acc = Double.parseDouble(c.get("test_metric"));
            assertTrue(acc >= 0 && acc <= 1, c::toString);
            double seconds = Double.parseDouble(c.get("epoch_seconds"));
            double ordering = Double.parseDouble(c.get("ordering_seconds"));
            assertTrue(epoch == 0 ? seconds == 0 && ordering == 0 : seconds > 0 && ordering <= seconds + 1e-4,
                    c::toString);
            cumulative = epoch == 0 ? 0 : cumulative + seconds;
            assertEquals(cumulative, Double.parseDouble(c.get("cumulative_seconds")), 3e-4, c::toString);
            assertEquals("", c.get("herding_bound"), c::toString);
        }
        assertTrue(Pattern.compile("(?m)^summary dl4j-shuffle=\\d+\\.\\d{6} cd-grab=\\d+\\.\\d{6} "
                + "d-rr=\\d+\\.\\d{6}$").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^time-to-drr-final dl4j-shuffle=(none|[0-9.]+) cd-grab=(none|[0-9.]+) "
                + "d-rr=[0-9.]+$").matcher(r.out()).find(), r.out());
        assertTrue(r.lastLine().matches("time-to-shuffle-final dl4j-shuffle=[0-9.]+ cd-grab=(none|[0-9.]+) "
                + "d-rr=(none|[0-9.]+)"), "the baseline's line comes last: " + r.out());
        assertTrue(r.out().contains("train loss, full training set (mean over seeds 1,2; epoch 0 = initial model)"),
                r.out());
        if (LineChart.fontsAvailable()) {
            assertTrue(Files.size(out.resolve("metrics.png")) > 1000);
        }
    }

    @Test
    void theSameSeedRepeatsBitIdentically() throws IOException {
        CommandRun a = run(tmp.resolve("a"), "3", "dl4j-shuffle,cd-grab", "--no-chart");
        CommandRun b = run(tmp.resolve("b"), "3", "dl4j-shuffle,cd-grab", "--no-chart");
        assertEquals(0, a.code(), a::err);
        assertEquals(0, b.code(), b::err);
        assertFalse(Files.exists(tmp.resolve("a").resolve("metrics.png")), "--no-chart");
        assertEquals(a.summaryLine(), b.summaryLine());
        // Everything but the times, which depend on the machine.
        assertArrayEquals(withoutTimes(records(tmp.resolve("a").resolve("metrics.csv"))),
                withoutTimes(records(tmp.resolve("b").resolve("metrics.csv"))));
        assertFalse(a.out().contains("time-to-drr-final"), "no d-rr, no line: " + a.out());
        assertTrue(a.lastLine().startsWith("time-to-shuffle-final "), a.out());
    }

    private static String[] withoutTimes(List<CSVRecord> rows) {
        return rows.stream().map(c -> String.join(",", c.get("order"), c.get("seed"), c.get("epoch"),
                c.get("train_loss"), c.get("test_loss"), c.get("test_metric"))).toArray(String[]::new);
    }

    @Test
    void withoutTheBaselineThereIsNoShuffleLine() throws IOException {
        CommandRun r = run(tmp.resolve("c"), "1", "d-rr", "--no-chart");
        assertEquals(0, r.code(), r::err);
        assertEquals("summary " + "d-rr=", r.summaryLine().substring(0, "summary d-rr=".length()));
        assertTrue(r.lastLine().matches("time-to-drr-final d-rr=[0-9.]+"), r.out());
    }

    @Test
    void invalidOptionsNameValueAndRangeBeforeAnyDataIsRead() {
        Path out = tmp.resolve("never");
        // A data folder that does not exist: an option refused with exit code 2 proves that it was checked first.
        String data = tmp.resolve("no-data").toString();
        String[][] cases = {
                {"--epochs", "0", "0 (valid range: 1..100000)"},
                {"--batch", "70000", "70000 (valid range: 1..65536)"},
                {"--lr", "0", "0.0 (valid: > 0 and <= 10)"},
                {"--lr", "NaN", "NaN (valid: > 0 and <= 10)"},
                {"--limit-train", "-1", "-1 (valid range: 0..2147483647)"},
                {"--limit-test", "-5", "-5 (valid range: 0..2147483647)"},
                {"--seeds", "1,2,1", "1 is listed twice"},
                {"--orders", "dl4j-shuffle,cd-grab,DL4J-Shuffle", "dl4j-shuffle is listed twice"},
                {"--orders", "rr,d-rr", "d-rr is listed twice"},
                {"--orders", "sorted", "unknown ordering 'sorted'; valid: "},
                {"--orders", "cd-grab,,d-rr", "empty method name"},
        };
        for (String[] c : cases) {
            CommandRun r = CommandRun.of(List.of("drop-in", "--data-dir", data, c[0], c[1], "--out", out.toString()));
            assertEquals(2, r.code(), () -> String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[0]) && r.err().contains(c[2]), () -> String.join(" ", c) + ": " + r.err());
            assertFalse(r.err().contains("no-data"), () -> "data was looked at first: " + r.err());
        }
        CommandRun r = CommandRun.of(List.of("drop-in", "--orders", "sorted", "--out", out.toString()));
        assertTrue(r.err().contains("or dl4j-shuffle"), "the baseline is among the valid names: " + r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void missingDataExitsWithOneAndWritesNothing() {
        Path out = tmp.resolve("never");
        CommandRun r = CommandRun.of(List.of("drop-in", "--data-dir", tmp.resolve("no-data").toString(), "--out",
                out.toString()));
        assertEquals(1, r.code(), r::err);
        assertTrue(r.err().contains("no-data") && r.err().contains("nothing was written"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
