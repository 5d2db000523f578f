package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dgrab.lab.Main;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.report.LineChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code lm} and {@code logreg} commands run in-process through {@link Main#run} on small data. */
class LmLogregCommandsTest {

    @TempDir
    Path tmp;


    private static CommandRun run(String... a) {
        List<String> args = new ArrayList<>(Arrays.asList(a));
        if (!LineChart.fontsAvailable()) {
            args.add("--no-chart");
        }
        return CommandRun.of(args);
    }

    /** Rows of metrics.csv by "order/seed/epoch". */
    private static Map<String, String[]> csv(Path file, int expectedRows) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, lines.get(0));
        assertEquals(expectedRows, lines.size() - 1, () -> String.join("\n", lines));
        Map<String, String[]> rows = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            // -1: keep the last cell when it is empty (no herding bound measured).
            String[] f = l.split(",", -1);
            assertEquals(10, f.length, l);
            rows.put(f[0] + "/" + f[1] + "/" + f[2], f);
        }
        return rows;
    }

    private static double col(String[] row, int i) {
        return Double.parseDouble(row[i]);
    }

    private static void assertPng(Path file) throws IOException {
        if (LineChart.fontsAvailable()) {
            byte[] png = Files.readAllBytes(file);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        }
    }

    @Test
    void lmOnTheBundledTextWritesPerplexitiesAndTheSummary() throws IOException {
        Path out = tmp.resolve("lm");
        CommandRun r = run("lm", "--orders", "cd-grab,d-rr", "--epochs", "2", "--workers", "2", "--batch", "4",
                "--limit-train", "24", "--out", out.toString());
        assertEquals(0, r.code(), () -> "stderr:\n" + r.err());
        assertTrue(r.err().contains("tiny bundled text"), "says that the bundled text is used: " + r.err());
        assertTrue(r.out().contains("24 train / 13 test sequences of 35 tokens"), r.out());
        assertTrue(r.out().contains("test perplexity"), r.out());

        Map<String, String[]> rows = csv(out.resolve("metrics.csv"), 2 * 3);
        int vocab = 415;   // the bundled training text's 414 distinct tokens and <unk>
        for (String[] f : rows.values()) {
            double trainLoss = col(f, 3);
            double testLoss = col(f, 4);
            double ppl = col(f, 5);
            assertEquals(Math.exp(testLoss), ppl, 1e-3 * ppl, "perplexity = exp(test loss): " + String.join(",", f));
            assertTrue(trainLoss > 0 && trainLoss < 1.2 * Math.log(vocab), "train loss near or below ln V: " + trainLoss);
        }
        // The untrained model is close to uniform (perplexity near V); training lowers the training loss.
        double ppl0 = col(rows.get("cd-grab/0/0"), 5);
        assertTrue(ppl0 > 0.7 * vocab && ppl0 < 1.3 * vocab, "initial perplexity " + ppl0);
        assertArrayEquals(Arrays.copyOfRange(rows.get("cd-grab/0/0"), 3, 6), Arrays.copyOfRange(rows.get("d-rr/0/0"), 3, 6),
                "both orderings start from the same model");
        for (String o : new String[] {"cd-grab", "d-rr"}) {
            assertTrue(col(rows.get(o + "/0/2"), 3) < col(rows.get(o + "/0/0"), 3), o + " learns");
        }
        Matcher m = Pattern.compile("summary cd-grab=(\\S+) d-rr=(\\S+)").matcher(r.summaryLine());
        assertTrue(m.matches(), r.summaryLine());
        assertTrue(r.lastLine().matches("time-to-drr-final cd-grab=(none|[0-9.]+) d-rr=[0-9.]+"), r.lastLine());
        assertEquals(rows.get("cd-grab/0/2")[3], m.group(1));
        assertEquals(rows.get("d-rr/0/2")[3], m.group(2));
        assertPng(out.resolve("metrics.png"));
    }

    @Test
    void lmTrainsWithExactPerSequenceGradientsOnAFolder() throws IOException {
        Path data = tmp.resolve("text");
        Files.createDirectories(data);
        // A repetitive text that a tiny model learns quickly; valid.txt is optional.
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            train.append(" the cat sat on the mat . \n");
        }
        Files.writeString(data.resolve("train.txt"), train, StandardCharsets.UTF_8);
        Files.writeString(data.resolve("test.txt"), " the cat sat on the mat . \n the dog sat . \n",
                StandardCharsets.UTF_8);
        Path out = tmp.resolve("lm-exact");
        CommandRun r = run("lm", "--data-dir", data.toString(), "--bptt", "8", "--orders", "id-grab-pair", "--epochs", "1",
                "--workers", "2", "--batch", "2", "--granularity", "example-exact", "--optimizer", "adam", "--lr", "0.05",
                "--out", out.toString());
        assertEquals(0, r.code(), () -> "stderr:\n" + r.err());
        assertFalse(r.err().contains("tiny bundled text"), r.err());
        // 40 lines x 8 tokens = 320 tokens: (320 - 1) / 8 = 39 sequences; test: 13 tokens, 12 targets in 2 sequences.
        assertTrue(r.out().contains("39 train / 2 test sequences of 8 tokens (12 test tokens predicted, 7.7% unknown)"),
                r.out());
        Map<String, String[]> rows = csv(out.resolve("metrics.csv"), 2);
        assertTrue(col(rows.get("id-grab-pair/0/1"), 3) < col(rows.get("id-grab-pair/0/0"), 3) - 0.5,
                "a repetitive text is learnt fast");
        assertTrue(r.lastLine().startsWith("summary id-grab-pair="), "without d-rr no time-to-drr-final line: "
                + r.lastLine());
    }

    @Test
    void lmRejectsInvalidOptionsWithExitCode2() {
        CommandRun lastLayer = run("lm", "--granularity", "example-last-layer", "--epochs", "1", "--out",
                tmp.resolve("x").toString());
        assertEquals(2, lastLayer.code(), lastLayer::err);
        assertTrue(lastLayer.err().contains("Invalid value for option '--granularity': example-last-layer")
                && lastLayer.err().contains("RnnOutputLayer") && lastLayer.err().contains("batch (or example-exact with DataParallelTrainer)"),
                lastLayer.err());
        assertFalse(Files.exists(tmp.resolve("x").resolve("metrics.csv")));

        CommandRun vocab = run("lm", "--vocab-limit", "2");
        assertEquals(2, vocab.code());
        assertTrue(vocab.err().contains("--vocab-limit") && vocab.err().contains("at least 3"), vocab.err());
        CommandRun bptt = run("lm", "--bptt", "0");
        assertEquals(2, bptt.code());
        assertTrue(bptt.err().contains("--bptt") && bptt.err().contains("1..10000"), bptt.err());
        CommandRun tooLong = run("lm", "--bptt", "3000", "--out", tmp.resolve("y").toString());
        assertEquals(2, tooLong.code());
        assertTrue(tooLong.err().contains("2527 tokens") && tooLong.err().contains("3001"), tooLong.err());
        CommandRun missing = run("lm", "--data-dir", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("z").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("train.txt") && missing.err().contains("test.txt"), missing.err());
    }

    @Test
    void bothCommandsAreListedAndDocumentTheirMetric() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help"));
        assertTrue(out.toString().contains("lm") && out.toString().contains("logreg"), out.toString());
        StringWriter lm = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(lm), new PrintWriter(new StringWriter()), "lm", "--help"));
        // Whitespace normalised: picocli wraps the help wherever the line length falls.
        String lmHelp = lm.toString().replaceAll("\\s+", " ");
        assertTrue(lmHelp.contains("test_metric = perplexity") && lmHelp.contains("--vocab-limit"), lmHelp);
        StringWriter lr = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(lr), new PrintWriter(new StringWriter()), "logreg", "--help"));
        String lrHelp = lr.toString().replaceAll("\\s+", " ");
        assertTrue(lrHelp.contains("test_metric = accuracy") && lrHelp.contains("--test-fraction")
                && !lrHelp.contains("--model"), lrHelp);
    }

    /** Two Gaussian blobs in 3 dimensions plus a constant column; the label is in column {@code labelCol} (1-based). */
    private static Path separableCsv(Path file, int rows, int labelCol) throws IOException {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder();
        List<String> names = new ArrayList<>(List.of("a", "b", "c", "const"));
        names.add(labelCol - 1, "approved");
        s.append(String.join(",", names)).append('\n');
        for (int i = 0; i < rows; i++) {
            int y = i % 2;
            double shift = y == 0 ? -2 : 2;
            List<String> cells = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                cells.add(String.format(Locale.ROOT, "%.4f", 100 + 10 * (shift + r.nextGaussian())));
            }
            cells.add("42");
            cells.add(labelCol - 1, Integer.toString(y == 0 ? 3 : 7));
            s.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void logregOnSeparableDataIsAccurate() throws IOException {
        Path data = separableCsv(tmp.resolve("blobs.csv"), 400, 2);
        Path out = tmp.resolve("logreg");
        CommandRun r = run("logreg", "--csv", data.toString(), "--label-column", "approved", "--orders", "cd-grab,d-rr",
                "--seeds", "0,1", "--epochs", "2", "--workers", "2", "--batch", "8", "--out", out.toString());
        assertEquals(0, r.code(), () -> "stderr:\n" + r.err());
        assertTrue(r.err().contains("400 rows, 4 features, 2 classes (3, 7); header: yes; label: approved"), r.err());
        assertTrue(r.err().contains("1 feature column(s) constant"), r.err());
        assertTrue(r.out().contains("320 train / 80 test rows (test fraction 0.2, split seed 0)"), r.out());
        Map<String, String[]> rows = csv(out.resolve("metrics.csv"), 2 * 2 * 3);
        for (String o : new String[] {"cd-grab", "d-rr"}) {
            for (String seed : new String[] {"0", "1"}) {
                double acc = col(rows.get(o + "/" + seed + "/2"), 5);
                assertTrue(acc >= 0.95, o + " seed " + seed + " accuracy " + acc + " (chance is 0.5)");
            }
        }
        Matcher m = Pattern.compile("summary cd-grab=(\\S+) d-rr=(\\S+)").matcher(r.summaryLine());
        assertTrue(m.matches(), r.summaryLine());
        assertTrue(r.lastLine().matches("time-to-drr-final cd-grab=(none|[0-9.]+) d-rr=[0-9.]+"), r.lastLine());
        double mean = (col(rows.get("cd-grab/0/2"), 3) + col(rows.get("cd-grab/1/2"), 3)) / 2;
        assertEquals(mean, Double.parseDouble(m.group(1)), 2e-6);
        assertTrue(r.out().contains("test accuracy (mean over seeds 0,1)"), r.out());
        assertPng(out.resolve("metrics.png"));
    }

    @Test
    void logregNamesAFileThatCannotBeWrittenAndKeepsTheOthers() throws IOException {
        Path data = separableCsv(tmp.resolve("blobs.csv"), 60, 5);
        Path out = tmp.resolve("blocked");
        // A directory where metrics.csv must go: found only when the finished file is renamed into place.
        Files.createDirectories(out.resolve("metrics.csv"));
        Files.writeString(out.resolve("metrics.csv").resolve("keep"), "x");
        CommandRun r = run("logreg", "--csv", data.toString(), "--orders", "cd-grab,d-rr", "--seeds", "0,1",
                "--epochs", "1", "--workers", "2", "--batch", "4", "--out", out.toString());
        assertEquals(1, r.code(), () -> "stderr:\n" + r.err());
        assertTrue(r.summaryLine().matches("summary cd-grab=\\S+ d-rr=\\S+"), r.out());
        assertTrue(r.lastLine().startsWith("time-to-drr-final cd-grab="), "results still last: " + r.out());
        assertTrue(r.out().contains("train loss") && r.out().contains("test accuracy (mean over seeds 0,1)"), r.out());
        Path csv = out.toAbsolutePath().resolve("metrics.csv");
        assertTrue(r.err().contains("could not write " + csv + " (")
                && r.err().contains("a directory has that name"), r.err());
        // Says exactly what is on screen and what only the lost file held.
        assertTrue(r.err().contains("Printed above on stdout: the train loss and test accuracy tables per epoch "
                + "(means over the seeds), the seconds per epoch and the summary line; the test loss, the per-seed "
                + "values and the epoch times of every epoch are in metrics.csv only."), r.err());
        assertFalse(r.err().contains("complete"), r.err());
        if (LineChart.fontsAvailable()) {
            Path png = out.toAbsolutePath().resolve("metrics.png");
            assertPng(png);
            assertTrue(r.err().contains("Written: " + png + "."), "the chart survives the failed CSV: " + r.err());
        } else {
            assertTrue(r.err().contains("Written: nothing."), r.err());
        }
    }

    @Test
    void logregReportsBadCsvsAndOptions() throws IOException {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "x,y\n1,0\n2,1\noops,1\n", StandardCharsets.UTF_8);
        Path out = tmp.resolve("never");
        CommandRun r = run("logreg", "--csv", bad.toString(), "--out", out.toString());
        assertEquals(1, r.code(), r::err);
        assertTrue(r.err().contains("line 4, column 1 ('x'): 'oops' is not a number"), r.err());
        assertFalse(Files.exists(out.resolve("metrics.csv")));

        Path oneClass = tmp.resolve("one.csv");
        Files.writeString(oneClass, "1,0\n2,0\n", StandardCharsets.UTF_8);
        CommandRun one = run("logreg", "--csv", oneClass.toString(), "--out", out.toString());
        assertEquals(1, one.code());
        assertTrue(one.err().contains("only one class"), one.err());

        CommandRun missing = run("logreg", "--csv", tmp.resolve("none.csv").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--csv") && missing.err().contains("no such file"), missing.err());
        CommandRun noCsv = run("logreg");
        assertEquals(2, noCsv.code());
        assertTrue(noCsv.err().contains("--csv"), noCsv.err());
        Path ok = separableCsv(tmp.resolve("ok.csv"), 20, 5);
        for (String f : new String[] {"0", "1", "-0.5", "1.5"}) {
            CommandRun fr = run("logreg", "--csv", ok.toString(), "--test-fraction", f);
            assertEquals(2, fr.code(), f);
            assertTrue(fr.err().contains("--test-fraction") && fr.err().contains("> 0 and < 1"), fr.err());
        }
        CommandRun workers = run("logreg", "--csv", ok.toString(), "--workers", "17", "--out", out.toString());
        assertEquals(2, workers.code());
        assertTrue(workers.err().contains("16 examples and every worker needs at least one"), workers.err());
        CommandRun column = run("logreg", "--csv", ok.toString(), "--label-column", "9", "--out", out.toString());
        assertEquals(2, column.code(), "an invalid option value: " + column.err());
        assertTrue(column.err().contains("--label-column") && column.err().contains("label column 9 does not exist")
                && column.err().contains("(1..5)"), column.err());

        // A bad --out is found before the data is read or anything is trained.
        CommandRun emptyOut = run("logreg", "--csv", ok.toString(), "--out", "");
        assertEquals(2, emptyOut.code(), emptyOut::err);
        assertTrue(emptyOut.err().contains("--out") && emptyOut.err().contains("give a directory"), emptyOut.err());
        assertEquals("", emptyOut.out(), "nothing trained");
        Path proc = Path.of("/proc", "dgrab-probe");
        if (Files.isDirectory(proc.getParent())) {
            CommandRun procOut = run("logreg", "--csv", ok.toString(), "--out", proc.toString());
            assertEquals(2, procOut.code(), procOut::err);
            assertTrue(procOut.err().contains("--out") && procOut.err().contains(proc.toString()), procOut.err());
            assertEquals("", procOut.out(), "nothing trained");
        }
    }
}
