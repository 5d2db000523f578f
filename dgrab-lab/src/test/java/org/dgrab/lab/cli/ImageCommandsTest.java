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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.dgrab.lab.Main;
import org.dgrab.lab.data.TestFiles;
import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.report.LineChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-classification commands ({@code cifar10}, {@code fashion-mnist}, {@code demo}, {@code make-sample}) run
 * in-process through {@link Main#run} on tiny generated data.
 */
class ImageCommandsTest {

    @TempDir
    Path tmp;


    private static CommandRun run(List<String> args) {
        return CommandRun.of(args);
    }

    private static List<String> args(String... a) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        if (!LineChart.fontsAvailable()) {
            l.add("--no-chart");
        }
        return l;
    }

    private static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, lines.get(0));
        assertEquals("order,seed,epoch,train_loss,test_loss,test_metric,epoch_seconds,ordering_seconds,"
                + "cumulative_seconds,herding_bound", lines.get(0));
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            // -1: keep the last cell when it is empty (no herding bound measured).
            String[] f = l.split(",", -1);
            assertEquals(10, f.length, l);
            rows.add(f);
        }
        return rows;
    }

    /**
     * Checks the {@code time-to-drr-final} line, the last on stdout, against the CSV: per ordering, the mean
     * cumulative seconds at the first epoch whose mean train loss is at most d-rr's final mean, over d-rr's final
     * mean cumulative seconds (within what the CSV's rounded times allow).
     */
    static void assertTimeToDrrFinal(List<String[]> rows, String line) {
        Map<String, TreeMap<Integer, double[]>> means = new LinkedHashMap<>();
        for (String[] f : rows) {
            double[] sum = means.computeIfAbsent(f[0], k -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(f[2]), k -> new double[3]);
            sum[0] += Double.parseDouble(f[3]);
            sum[1] += Double.parseDouble(f[8]);
            sum[2]++;
        }
        double[] drr = means.get("d-rr").lastEntry().getValue();
        double target = drr[0] / drr[2];
        double total = drr[1] / drr[2];
        assertTrue(line.startsWith("time-to-drr-final "), "last stdout line: " + line);
        String[] cells = line.substring("time-to-drr-final ".length()).split(" ");
        assertEquals(means.size(), cells.length, line);
        int i = 0;
        for (Map.Entry<String, TreeMap<Integer, double[]>> e : means.entrySet()) {
            String[] kv = cells[i++].split("=");
            assertEquals(e.getKey(), kv[0], line);
            Double expected = null;
            for (double[] s : e.getValue().values()) {
                if (s[0] / s[2] <= target + 1e-6) {
                    expected = s[1] / s[2] / total;
                    break;
                }
            }
            if (expected == null) {
                assertEquals("none", kv[1], line);
            } else {
                // Each CSV time is rounded to 5e-5 s, and short test epochs make that a visible share of D-RR's total:
                // bound the ratio's error by the rounding of numerator and denominator, plus the line's own rounding.
                double tolerance = 1.5 * (5e-5 * (1 + expected) / (total - 5e-5)) + 5e-5;
                assertEquals(expected, Double.parseDouble(kv[1]), tolerance, e.getKey() + " in " + line);
            }
        }
    }

    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    private static void assertPng(Path file) throws IOException {
        if (LineChart.fontsAvailable()) {
            byte[] png = Files.readAllBytes(file);
            assertTrue(png.length > 1000, "PNG size " + png.length);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        }
    }

    @Test
    void herdingBoundIsMeasuredForEveryOrderingAndEpochOnlyWhenAsked() throws IOException {
        Path out = tmp.resolve("herding");
        CommandRun r = run(args("demo", "--limit-train", "120", "--limit-test", "40", "--epochs", "2", "--seeds", "0",
                "--orders", "cd-grab,d-rr,id-grab-pair", "--herding-bound", "--no-chart", "--out", out.toString()));
        assertEquals(0, r.code(), r::err);
        List<String[]> rows = csv(out.resolve("metrics.csv"));
        assertEquals(3 * 3, rows.size());
        double[] cumulative = new double[1];
        for (String[] f : rows) {
            if (f[2].equals("0")) {
                assertEquals("", f[9], "no bound before training: " + String.join(",", f));
                assertEquals(0.0, Double.parseDouble(f[8]), 0.0);
                cumulative[0] = 0;
            } else {
                // d-rr too: its gradients are captured for the bound although its orders do not use them.
                double bound = Double.parseDouble(f[9]);
                assertTrue(bound > 0 && Double.isFinite(bound), "herding bound " + String.join(",", f));
                cumulative[0] += Double.parseDouble(f[6]);
                assertEquals(cumulative[0], Double.parseDouble(f[8]), 2e-4, "cumulative seconds " + String.join(",", f));
            }
        }
        assertTimeToDrrFinal(rows, r.lastLine());

        // Measuring changes nothing in training: the same losses and accuracies without it.
        Path plain = tmp.resolve("plain");
        CommandRun p = run(args("demo", "--limit-train", "120", "--limit-test", "40", "--epochs", "2", "--seeds", "0",
                "--orders", "cd-grab,d-rr,id-grab-pair", "--no-chart", "--out", plain.toString()));
        assertEquals(0, p.code(), p::err);
        List<String[]> plainRows = csv(plain.resolve("metrics.csv"));
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(Arrays.copyOf(plainRows.get(i), 6), Arrays.copyOf(rows.get(i), 6), "row " + i);
        }
        assertEquals(p.summaryLine(), r.summaryLine());
    }

    @Test
    void cifar10OnBinaryFilesWritesMetricsChartAndSummary() throws IOException {
        Path data = tmp.resolve("cifar-10-batches-bin");
        TestFiles.writeCifar(data, 20, 20);
        Path out = tmp.resolve("runs").resolve("c10");
        CommandRun r = run(args("cifar10", "--data-dir", data.toString(), "--limit-train", "48", "--epochs", "1",
                "--workers", "2", "--batch", "4", "--model", "lenet", "--granularity", "example-exact",
                "--orders", "cd-grab,d-rr", "--seeds", "0,1",
                "--out", out.toString()));
        assertEquals(0, r.code(), () -> "stderr:\n" + r.err());

        List<String[]> rows = csv(out.resolve("metrics.csv"));
        assertEquals(2 * 2 * 2, rows.size(), "2 orders x 2 seeds x (epoch 0 + 1 epoch)");
        String[][] expected = {{"cd-grab", "0", "0"}, {"cd-grab", "0", "1"}, {"cd-grab", "1", "0"},
                {"cd-grab", "1", "1"}, {"d-rr", "0", "0"}, {"d-rr", "0", "1"}, {"d-rr", "1", "0"}, {"d-rr", "1", "1"}};
        Map<String, String[]> byKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i);
            assertArrayEquals(expected[i], Arrays.copyOf(f, 3), "row " + i);
            double acc = Double.parseDouble(f[5]);
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            assertTrue(Double.parseDouble(f[3]) > 0 && Double.parseDouble(f[4]) > 0, "losses");
            byKey.put(f[0] + "/" + f[1] + "/" + f[2], f);
        }
        // Every ordering of a seed starts from the same model: identical epoch-0 metrics.
        for (String seed : new String[] {"0", "1"}) {
            assertArrayEquals(Arrays.copyOfRange(byKey.get("cd-grab/" + seed + "/0"), 3, 6),
                    Arrays.copyOfRange(byKey.get("d-rr/" + seed + "/0"), 3, 6), "epoch 0 of seed " + seed);
        }
        Matcher m = Pattern.compile("summary cd-grab=(\\S+) d-rr=(\\S+)").matcher(r.summaryLine());
        assertTrue(m.matches(), "summary line: " + r.summaryLine());
        for (int o = 0; o < 2; o++) {
            String order = o == 0 ? "cd-grab" : "d-rr";
            double mean = (Double.parseDouble(byKey.get(order + "/0/1")[3])
                    + Double.parseDouble(byKey.get(order + "/1/1")[3])) / 2;
            assertEquals(mean, Double.parseDouble(m.group(o + 1)), 2e-6, "summary = mean final train loss of " + order);
        }
        for (String[] f : rows) {
            // One epoch: the cumulative time is the epoch's own; nothing is measured before training.
            assertEquals(f[6], f[8], "cumulative seconds after one epoch: " + String.join(",", f));
            assertEquals("", f[9], "no herding bound without --herding-bound");
        }
        assertTimeToDrrFinal(rows, r.lastLine());
        assertPng(out.resolve("metrics.png"));
        assertNoTemporaryFiles(out);
        assertTrue(r.out().contains("train loss") && r.out().contains("test accuracy"), r.out());
        assertTrue(r.out().contains("48 train / 20 test images"), r.out());
        assertTrue(r.err().contains("cifar10"), "progress on stderr: " + r.err());
        assertFalse(r.out().contains("\r"), "no progress on stdout");
    }

    @Test
    void missingCifarFilesFailWithWhereToPutThemAndWriteNothing() throws IOException {
        Path data = tmp.resolve("empty");
        Files.createDirectories(data);
        Path out = tmp.resolve("never");
        CommandRun r = run(args("cifar10", "--data-dir", data.toString(), "--epochs", "1", "--out", out.toString()));
        assertEquals(1, r.code(), r::err);
        for (String s : new String[] {data.toAbsolutePath().toString(), "data_batch_1.bin", "data_batch_5.bin",
                "test_batch.bin", "cifar-10-binary.tar.gz"}) {
            assertTrue(r.err().contains(s), () -> "stderr should mention " + s + ":\n" + r.err());
        }
        assertFalse(Files.exists(out), "nothing written to --out");
        assertFalse(r.out().contains("summary"), r.out());

        // Only the test file missing: named alone.
        TestFiles.writeCifar(data, 2, 2);
        Files.delete(data.resolve("test_batch.bin"));
        CommandRun r2 = run(args("cifar10", "--data-dir", data.toString(), "--out", out.toString()));
        assertEquals(1, r2.code(), r2::err);
        assertTrue(r2.err().contains("missing: test_batch.bin\n") || r2.err().contains("missing: test_batch.bin"
                + System.lineSeparator()), r2.err());
        assertFalse(Files.exists(out));

        CommandRun r3 = run(args("fashion-mnist", "--data-dir", tmp.resolve("nowhere").toString(), "--out", out.toString()));
        assertEquals(1, r3.code(), r3::err);
        assertTrue(r3.err().contains("train-images-idx3-ubyte[.gz]") && r3.err().contains("does not exist")
                && r3.err().contains("dataset-fashion-mnist"), r3.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void emptyOrMismatchedDataFilesFailNamingTheFileAndTrainNothing() throws IOException {
        Path data = tmp.resolve("cifar");
        TestFiles.writeCifar(data, 2, 2);
        Files.write(data.resolve("test_batch.bin"), new byte[0]);
        Path out = tmp.resolve("never");
        CommandRun r = run(args("cifar10", "--data-dir", data.toString(), "--epochs", "1", "--out", out.toString()));
        assertEquals(1, r.code(), r::err);
        assertTrue(r.err().contains(data.resolve("test_batch.bin").toString()) && r.err().contains("empty (0 bytes)"),
                r.err());
        assertFalse(r.err().contains("ArithmeticException"), r.err());
        assertFalse(Files.exists(out.resolve("metrics.csv")), "nothing trained, nothing written");
        assertFalse(r.out().contains("summary"), r.out());

        Path fashion = tmp.resolve("fashion-mixed");
        TestFiles.writeFashion(fashion, 6, 4, true);
        TestFiles.writeFashion(tmp.resolve("raw"), 6, 4, false);
        Files.copy(tmp.resolve("raw").resolve("t10k-images-idx3-ubyte"), fashion.resolve("t10k-images-idx3-ubyte"));
        CommandRun r2 = run(args("fashion-mnist", "--data-dir", fashion.toString(), "--epochs", "1", "--out", out.toString()));
        assertEquals(1, r2.code(), r2::err);
        assertTrue(r2.err().contains("t10k-images-idx3-ubyte.gz") && r2.err().contains("keep one"), r2.err());
        assertFalse(Files.exists(out.resolve("metrics.csv")));
    }

    @Test
    void fashionMnistOnIdxFilesAndDemoOnTheBundledSample() throws IOException {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 40, 12, true);
        Path out = tmp.resolve("fm");
        CommandRun r = run(args("fashion-mnist", "--data-dir", data.toString(), "--model", "mlp", "--epochs", "2",
                "--workers", "2", "--batch", "5", "--granularity", "batch", "--optimizer", "adam", "--lr", "0.001",
                "--out", out.toString()));
        assertEquals(0, r.code(), r::err);
        List<String[]> rows = csv(out.resolve("metrics.csv"));
        assertEquals(4 * 3, rows.size(), "4 default orderings x (epoch 0 + 2 epochs)");
        assertTrue(r.summaryLine().matches("summary cd-grab=\\S+ d-rr=\\S+ id-grab-mean=\\S+ id-grab-pair=\\S+"),
                r.summaryLine());
        assertTimeToDrrFinal(rows, r.lastLine());
        assertPng(out.resolve("metrics.png"));

        Path demo = tmp.resolve("demo");
        CommandRun d = run(args("demo", "--limit-train", "200", "--limit-test", "100", "--epochs", "1", "--seeds", "0",
                "--out", demo.toString()));
        assertEquals(0, d.code(), d::err);
        assertTrue(d.summaryLine().matches("summary cd-grab=\\d+\\.\\d{6} d-rr=\\d+\\.\\d{6}"), d.summaryLine());
        assertTrue(d.out().contains("Fashion-MNIST sample"), d.out());
        assertTrue(d.out().contains("200 train / 100 test images, 4 workers x batch 16, sgd"), d.out());
        List<String[]> demoRows = csv(demo.resolve("metrics.csv"));
        assertEquals(2 * 2, demoRows.size());
        // One seed: the summary is the CSV's final train loss, digit for digit.
        assertEquals(String.format(Locale.ROOT, "summary cd-grab=%s d-rr=%s", demoRows.get(1)[3], demoRows.get(3)[3]),
                d.summaryLine());
        assertTimeToDrrFinal(demoRows, d.lastLine());
    }

    @Test
    void sketchChangesTheBalancedOrderingsAndLeavesGradientFreeOnesAlone() throws IOException {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 40, 12, true);
        List<String[]> full = null;
        List<String[]> sketched = null;
        for (String k : List.of("0", "2")) {
            Path out = tmp.resolve("sketch-" + k);
            CommandRun r = run(args("fashion-mnist", "--data-dir", data.toString(), "--model", "mlp", "--epochs", "3",
                    "--workers", "2", "--batch", "5", "--orders", "cd-grab,d-rr", "--sketch", k,
                    "--out", out.toString()));
            assertEquals(0, r.code(), r::err);
            assertEquals(!k.equals("0"), r.out().contains("gradients sketched to 2 values"), r.out());
            if (k.equals("0")) {
                full = csv(out.resolve("metrics.csv"));
            } else {
                sketched = csv(out.resolve("metrics.csv"));
            }
        }
        assertEquals(2 * 4, full.size());
        assertEquals(full.size(), sketched.size());
        boolean cdGrabDiffers = false;
        for (int i = 0; i < full.size(); i++) {
            String[] f = full.get(i);
            String[] s = sketched.get(i);
            assertEquals(f[0] + "/" + f[2], s[0] + "/" + s[2]);
            int epoch = Integer.parseInt(f[2]);
            if (f[0].equals("d-rr") || epoch <= 1) {
                // D-RR uses no gradients, and every ordering's first epoch is the same random order.
                assertEquals(f[3], s[3], "train loss of " + f[0] + " epoch " + epoch);
            } else if (!f[3].equals(s[3])) {
                cdGrabDiffers = true;
            }
        }
        assertTrue(cdGrabDiffers, "CD-GraB balancing 2-value sketches should order differently from whole gradients");
    }

    @Test
    void invalidOptionsExitWithCode2NamingOptionValueAndRange() throws IOException {
        Path out = tmp.resolve("never");
        String o = out.toString();
        assertInvalid(List.of("demo", "--workers", "0", "--out", o), "--workers", "0", "1..1024");
        assertInvalid(List.of("demo", "--epochs", "0", "--out", o), "--epochs", "0", "1..");
        assertInvalid(List.of("demo", "--batch", "0", "--out", o), "--batch", "0", "1..65536");
        assertInvalid(List.of("demo", "--lr", "0", "--out", o), "--lr", "0", "> 0");
        assertInvalid(List.of("demo", "--lr", "NaN", "--out", o), "--lr", "NaN");
        assertInvalid(List.of("demo", "--lr", "11", "--out", o), "--lr", "11", "<= 10");
        assertInvalid(List.of("cifar10", "--optimizer", "rmsprop", "--out", o), "--optimizer", "rmsprop",
                "sgd, nesterovs, adam");
        assertInvalid(List.of("demo", "--granularity", "layer", "--out", o), "--granularity", "layer",
                "batch, example-exact, example-last-layer");
        assertInvalid(List.of("fashion-mnist", "--model", "resnet", "--out", o), "--model", "resnet", "lenet, mlp");
        // Refused after the data is made, before any training: no sketch can be wider than one unit's gradient.
        assertInvalid(List.of("demo", "--granularity", "example-last-layer", "--sketch", "100000", "--out", o),
                "--sketch", "100000", "valid: at most", "example-last-layer unit's gradient");
        assertInvalid(List.of("demo", "--seeds", "1,2,1", "--out", o), "--seeds", "1,2,1", "1 is listed twice");
        // Options are checked before the data is looked at: a missing data folder is not what is reported.
        String noData = tmp.resolve("no-data").toString();
        for (List<String> bad : List.of(List.of("--lr", "NaN"), List.of("--orders", "foo"), List.of("--seeds", "3,3"),
                List.of("--limit-train", "-5"))) {
            List<String> a = new ArrayList<>(List.of("fashion-mnist", "--data-dir", noData, "--out", o));
            a.addAll(bad);
            CommandRun r = run(a);
            assertEquals(2, r.code(), () -> a + ": " + r.err());
            assertTrue(r.err().contains(bad.get(0)) && !r.err().contains("not found"), () -> a + ": " + r.err());
        }
        assertInvalid(List.of("demo", "--seeds", "x", "--out", o), "--seed", "x");
        assertInvalid(List.of("demo", "--limit-train", "-1", "--out", o), "--limit-train", "-1", "valid: 0 (all) or a "
                + "positive number");
        assertInvalid(List.of("demo", "--limit-train", "3", "--workers", "4", "--out", o), "--limit-train", "3",
                "--workers = 4");
        assertInvalid(List.of("demo", "--limit-test", "-5", "--out", o), "--limit-test", "-5");
        assertInvalid(List.of("demo", "--threads", "-1", "--out", o), "--threads", "-1", "0..1024");
        assertInvalid(List.of("demo", "--sketch", "-1", "--out", o), "--sketch", "-1", "0..");
        assertInvalid(List.of("demo", "--orders", "cd-grab,bogus", "--out", o), "--orders", "bogus");
        assertInvalid(List.of("demo", "--orders", "rr,d-rr", "--out", o), "--orders", "twice");
        assertInvalid(List.of("demo", "--data-dir", "/tmp", "--out", o), "--data-dir");
        assertFalse(Files.exists(out), "an invalid command must not create its output directory");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertInvalid(List.of("demo", "--out", file.toString()), "--out", "not a directory");

        // More workers than training examples is only known once the data is loaded.
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 3, 2, false);
        assertInvalid(List.of("fashion-mnist", "--data-dir", data.toString(), "--workers", "4", "--out", o),
                "--workers", "4", "3 examples");
        assertFalse(Files.exists(out));
    }

    private static void assertInvalid(List<String> a, String... expectedInMessage) {
        CommandRun r = run(a);
        assertEquals(2, r.code(), () -> String.join(" ", a) + " should be rejected; stderr:\n" + r.err());
        for (String s : expectedInMessage) {
            assertTrue(r.err().contains(s), () -> String.join(" ", a) + ": stderr should mention '" + s + "':\n"
                    + r.err());
        }
        assertFalse(r.out().contains("summary"), "no summary line after an error");
    }

    @Test
    void makeSampleWritesABalancedReproducibleSample() throws IOException {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 60, 30, false);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CommandRun r = run(List.of("make-sample", "--data-dir", data.toString(), "--train", "20", "--test", "10", "--seed",
                "3", "--out", a.toString()));
        assertEquals(0, r.code(), r::err);
        assertTrue(r.lastLine().startsWith("sample train=20 test=10 seed=3"), r.lastLine());
        assertEquals(0, run(List.of("make-sample", "--data-dir", data.toString(), "--train", "20", "--test", "10",
                "--seed", "3", "--out", b.toString())).code());
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " reproducible");
        }
        org.nd4j.linalg.dataset.DataSet train = org.dgrab.lab.data.FashionMnist.load(a, true, 0);
        assertEquals(20, train.numExamples());
        for (double c : train.getLabels().sum(0).toDoubleVector()) {
            assertEquals(2, c, 0, "2 images per class");
        }
        CommandRun tooMany = run(List.of("make-sample", "--data-dir", data.toString(), "--train", "61", "--out",
                tmp.resolve("c").toString()));
        assertEquals(2, tooMany.code(), tooMany::err);
        assertTrue(tooMany.err().contains("--train") && tooMany.err().contains("1..60"), tooMany.err());
        assertFalse(Files.exists(tmp.resolve("c")), "nothing written");
    }
}
