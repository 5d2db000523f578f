package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.dgrab.lab.Main;
import org.dgrab.lab.report.LineChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code herding} command, run in-process through {@link Main#run}. */
class HerdingCommandTest {

    private static final Pattern LAST_LINE = Pattern.compile(
            "herding cd-grab=(\\S+) d-rr=(\\S+) id-grab-mean=(\\S+) id-grab-pair=(\\S+) cd-grab-recursive=(\\S+)");
    private static final String[] TINY = {"--workers", "2", "--per-worker", "200", "--rounds", "2"};

    @TempDir
    Path tmp;


    private static CommandRun run(String... args) {
        return CommandRun.of(List.of(args));
    }

    private static String[] herding(Path dir, String... extra) {
        List<String> a = new ArrayList<>(List.of("herding"));
        a.addAll(Arrays.asList(TINY));
        a.add("--out");
        a.add(dir.toString());
        if (!LineChart.fontsAvailable()) {
            // A JVM without fonts cannot draw the chart; the rest of the command is still worth testing.
            a.add("--no-chart");
        }
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void herdingWritesCsvChartAndSummaryLine() throws IOException {
        Path dir = tmp.resolve("runs").resolve("herding");
        CommandRun r = run(herding(dir));
        assertEquals(0, r.code(), () -> "exit code; stderr:\n" + r.err());

        List<String> csv = Files.readAllLines(dir.resolve("herding.csv"), StandardCharsets.UTF_8);
        assertEquals("strategy,round,bound", csv.get(0));
        assertEquals(1 + 5 * 3, csv.size(), "header + 5 orderings x (rounds + 1) rows");
        String[] names = {"cd-grab", "d-rr", "id-grab-mean", "id-grab-pair", "cd-grab-recursive"};
        for (int s = 0; s < names.length; s++) {
            for (int round = 0; round <= 2; round++) {
                String[] f = csv.get(1 + s * 3 + round).split(",");
                assertEquals(3, f.length, csv.get(1 + s * 3 + round));
                assertEquals(names[s], f[0]);
                assertEquals(round, Integer.parseInt(f[1]));
                assertTrue(Double.parseDouble(f[2]) > 0, "bound must be positive: " + f[2]);
            }
        }
        // Round 0 is the common seeded random start: every ordering has the same bound there.
        assertEquals(csv.get(1).split(",")[2], csv.get(4).split(",")[2]);

        Matcher m = LAST_LINE.matcher(r.lastLine());
        assertTrue(m.matches(), "last stdout line: " + r.lastLine());
        for (int s = 0; s < names.length; s++) {
            // The summary reports the bound after the last round, exactly as in the CSV.
            assertEquals(csv.get(1 + s * 3 + 2).split(",")[2], m.group(s + 1), names[s]);
        }

        if (LineChart.fontsAvailable()) {
            byte[] png = Files.readAllBytes(dir.resolve("herding.png"));
            assertTrue(png.length > 1000, "PNG size " + png.length);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
        assertTrue(r.err().contains("herding"), "progress on stderr: " + r.err());
        assertFalse(r.out().contains("\r"), "no progress output on stdout");
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedAfterTheResultsArePrintedAndTheOtherFileStays() throws IOException {
        Path dir = tmp.resolve("blocked");
        // A directory where herding.csv must go: the probe of --out passes, the rename at the end fails.
        Files.createDirectories(dir.resolve("herding.csv"));
        Files.writeString(dir.resolve("herding.csv").resolve("keep"), "x");
        CommandRun r = run(herding(dir));
        assertEquals(1, r.code(), () -> "exit code; stderr:\n" + r.err());

        // The results are all on stdout, the summary line last, as after a successful run.
        assertTrue(LAST_LINE.matcher(r.lastLine()).matches(), "last stdout line: " + r.lastLine());
        assertTrue(r.out().contains("round") && r.out().contains("time per ordering"), r.out());
        // The error names the file, the cause, what was written and what was printed.
        assertTrue(r.err().contains("could not write " + dir.toAbsolutePath().resolve("herding.csv")
                + " ("), r.err());
        assertTrue(r.err().contains("a directory has that name"), r.err());
        assertTrue(r.err().contains("Printed above on stdout: the per-round table"), r.err());
        if (LineChart.fontsAvailable()) {
            Path png = dir.toAbsolutePath().resolve("herding.png");
            assertTrue(Files.size(png) > 1000, "the chart is written although the CSV failed");
            assertTrue(r.err().contains("Written: " + png + "."), r.err());
            assertTrue(r.err().contains("wrote " + png), r.err());
        } else {
            assertTrue(r.err().contains("Written: nothing."), r.err());
        }
        assertEquals("x", Files.readString(dir.resolve("herding.csv").resolve("keep")));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void ordersOptionSelectsAndOrdersTheSummary() throws IOException {
        Path dir = tmp.resolve("subset");
        CommandRun r = run(herding(dir, "--orders", "d-rr,cdgrab"));
        assertEquals(0, r.code(), r::err);
        assertTrue(r.lastLine().matches("herding d-rr=\\S+ cd-grab=\\S+"), r.lastLine());
        List<String> csv = Files.readAllLines(dir.resolve("herding.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 2 * 3, csv.size());
        assertTrue(csv.get(1).startsWith("d-rr,0,"), csv.get(1));
    }

    @Test
    void depthsOptionRunsOneRecursiveSeriesPerDepth() throws IOException {
        Path dir = tmp.resolve("depths");
        CommandRun r = run(herding(dir, "--orders", "cd-grab,pair-recursive", "--depths", "0,2"));
        assertEquals(0, r.code(), r::err);
        Matcher m = Pattern.compile("herding cd-grab=(\\S+) cd-grab-recursive-d0=(\\S+) cd-grab-recursive-d2=(\\S+)")
                .matcher(r.lastLine());
        assertTrue(m.matches(), r.lastLine());
        assertEquals(m.group(1), m.group(2), "depth 0 is CD-GraB");
        List<String> csv = Files.readAllLines(dir.resolve("herding.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 3 * 3, csv.size());
        assertTrue(csv.get(7).startsWith("cd-grab-recursive-d2,0,"), csv.get(7));
        assertTrue(r.out().contains("tree depths [0, 2]"), r.out());

        Path never = tmp.resolve("never-depths");
        assertInvalid(herding(never, "--depths", "11"), "--depths", "11", "0..10");
        assertInvalid(herding(never, "--depths", "2,2"), "--depths", "twice");
        assertInvalid(herding(never, "--orders", "cd-grab", "--depths", "2"), "--depths", "cd-grab-recursive");
    }

    @Test
    void sameSeedGivesSameResultsAndOtherSeedDiffers() {
        String a = run(herding(tmp.resolve("a"), "--seed", "7")).lastLine();
        String b = run(herding(tmp.resolve("b"), "--seed", "7")).lastLine();
        String c = run(herding(tmp.resolve("c"), "--seed", "8")).lastLine();
        assertEquals(a, b);
        assertFalse(a.equals(c), "different seeds gave identical bounds: " + a);
    }

    @Test
    void invalidOptionsExitNonZeroWithClearMessageAndWriteNothing() throws IOException {
        Path dir = tmp.resolve("never");
        assertInvalid(new String[] {"herding", "--workers", "0", "--per-worker", "200", "--out", dir.toString()},
                "--workers", "0", "1..65536");
        assertInvalid(new String[] {"herding", "--workers", "2", "--per-worker", "1", "--out", dir.toString()},
                "--per-worker", "1", "2..");
        assertInvalid(new String[] {"herding", "--rounds", "-1", "--out", dir.toString()}, "--rounds", "-1", "0..");
        assertInvalid(new String[] {"herding", "--dim", "0", "--out", dir.toString()}, "--dim", "0", "1..");
        assertInvalid(new String[] {"herding", "--orders", "cd-grab,bogus", "--out", dir.toString()},
                "--orders", "bogus", "d-rr");
        assertInvalid(new String[] {"herding", "--orders", "grab,id-grab-mean", "--out", dir.toString()},
                "--orders", "id-grab-mean", "twice");
        assertInvalid(new String[] {"herding", "--workers", "many", "--out", dir.toString()}, "--workers", "many");
        assertInvalid(new String[] {"herding", "--workers", "65536", "--per-worker", "100000000", "--out",
                dir.toString()}, "--per-worker", "2147483647");
        assertInvalid(new String[] {"herding", "--no-such-option"}, "--no-such-option");
        assertFalse(Files.exists(dir), "an invalid command must not create its output directory");

        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertInvalid(new String[] {"herding", "--out", file.toString()}, "--out", "not a directory");
        assertInvalid(new String[] {"herding", "--out", file.resolve("sub").toString()}, "--out", "not a directory");
        assertEquals("x", Files.readString(file));

        assertInvalid(new String[] {"herding", "--out", ""}, "--out", "give a directory");
        // /proc passes a look at permission bits (as root) but takes no new directory: only a real write tells.
        Path proc = Path.of("/proc", "dgrab-probe");
        if (Files.isDirectory(proc.getParent())) {
            assertInvalid(new String[] {"herding", "--out", proc.toString()}, "--out", proc.toString());
        }
    }

    private static void assertInvalid(String[] args, String... expectedInMessage) {
        CommandRun r = run(args);
        assertEquals(2, r.code(), () -> String.join(" ", args) + " should be rejected; stderr:\n" + r.err());
        for (String s : expectedInMessage) {
            assertTrue(r.err().contains(s), () -> "stderr should mention '" + s + "':\n" + r.err());
        }
        assertFalse(r.out().contains("herding cd-grab="), "no summary line after an error");
    }

}
