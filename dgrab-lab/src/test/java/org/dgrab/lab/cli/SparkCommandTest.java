package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.dgrab.lab.data.TestFiles;
import org.dgrab.lab.experiment.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** {@code spark} in local mode on tiny generated Fashion-MNIST files. */
class SparkCommandTest {

    @TempDir
    Path tmp;

    @Test
    void trainsOnSparkAndWritesTheUsualResults() throws Exception {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 64, 20, true);
        Path out = tmp.resolve("out");
        CommandRun r = CommandRun.of(List.of("spark", "--master", "local[2]", "--data-dir", data.toString(),
                "--workers", "2", "--batch", "4", "--epochs", "2", "--orders", "cd-grab,d-rr", "--sketch", "64",
                "--no-chart", "--out", out.toString()));
        assertEquals(0, r.code(), r::err);
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, metrics.get(0));
        assertEquals(2 * 3, metrics.size() - 1, "2 orderings x epochs 0..2");
        List<String> spark = Files.readAllLines(out.resolve("spark.csv"), StandardCharsets.UTF_8);
        assertEquals("order,seed,epoch,jobs,reports,report_bytes,order_bytes,duplicates,fallback_workers,"
                + "epoch_seconds,ordering_seconds", spark.get(0));
        assertEquals(2 * 2, spark.size() - 1);
        // 64 examples over 2 workers in batches of 4: 8 steps, one job each, 16 reports of 24 + 64 x 4 bytes.
        assertTrue(spark.get(1).startsWith("cd-grab,0,1,8,16," + 16 * (24 + 64 * 4) + ",64,0,,"), spark.get(1));
        assertTrue(spark.get(3).startsWith("d-rr,0,1,8,16,384,64,0,,"), spark.get(3));
        assertTrue(r.summaryLine().matches("summary cd-grab=\\d+\\.\\d{6} d-rr=\\d+\\.\\d{6}"), r.out());
        assertTrue(r.lastLine().matches("time-to-drr-final cd-grab=(none|[0-9.]+) d-rr=[0-9.]+"), r.out());
    }

    @Test
    void exportsTheTrainingDataAsFilesAndTrainsFromThemLikeFromMemory() throws Exception {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 36, 10, true);
        List<String> common = List.of("spark", "--master", "local[2]", "--data-dir", data.toString(), "--workers", "2",
                "--batch", "4", "--epochs", "2", "--orders", "cd-grab", "--sketch", "64", "--no-chart");
        CommandRun inMemory = CommandRun.of(concat(common, "--out", tmp.resolve("memory").toString()));
        assertEquals(0, inMemory.code(), inMemory::err);
        Path export = tmp.resolve("export");
        CommandRun files = CommandRun.of(concat(common, "--out", tmp.resolve("files").toString(),
                "--export", export.toString()));
        assertEquals(0, files.code(), files::err);

        // 36 examples over 2 workers in batches of 4: 18 each, 4 full files and one of 2 per worker.
        for (int w = 0; w < 2; w++) {
            Path folder = export.resolve("worker-" + w);
            try (Stream<Path> listed = Files.list(folder)) {
                assertEquals(List.of("batch-000000.bin", "batch-000001.bin", "batch-000002.bin", "batch-000003.bin",
                        "batch-000004.bin"), listed.map(p -> p.getFileName().toString()).sorted().toList(),
                        "only whole files, no temporaries");
            }
            DataSet last = new DataSet();
            last.load(folder.resolve("batch-000004.bin").toFile());
            assertEquals(2, last.numExamples());
        }
        assertTrue(files.out().contains("from DataSet files exported to " + export), files.out());
        String[] a = inMemory.out().strip().split("\n");
        String[] b = files.out().strip().split("\n");
        String summary = "summary cd-grab=(\\d+\\.\\d{6})";
        assertTrue(b[b.length - 1].matches(summary), files.out());
        assertEquals(Double.parseDouble(a[a.length - 1].substring("summary cd-grab=".length())),
                Double.parseDouble(b[b.length - 1].substring("summary cd-grab=".length())), 1e-4,
                "the same final train loss from files as from memory");
        List<String> spark = Files.readAllLines(tmp.resolve("files").resolve("spark.csv"), StandardCharsets.UTF_8);
        // 5 steps a worker, one job each, 10 reports of 24 + 64 x 4 bytes.
        assertTrue(spark.get(1).startsWith("cd-grab,0,1,5,10," + 10 * (24 + 64 * 4) + ",40,0,,"), spark.get(1));

        // Averaging every 2 steps needs full files: refused before anything is exported, not mid-epoch.
        Path never = tmp.resolve("export-2");
        CommandRun refused = CommandRun.of(concat(common, "--out", tmp.resolve("never").toString(),
                "--export", never.toString(), "--averaging-frequency", "2"));
        assertNotEquals(0, refused.code(), refused::err);
        assertTrue(refused.err().contains("--averaging-frequency 2 needs full batches of 4 in every exported file"),
                refused.err());
        assertFalse(Files.exists(never), "nothing exported");
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void badOptionsAreRefusedBeforeSparkStarts() {
        Path out = tmp.resolve("never");
        CommandRun r = CommandRun.of(List.of("spark", "--granularity", "example-last-layer", "--out", out.toString()));
        assertEquals(2, r.code(), r::err);
        assertTrue(r.err().contains("--granularity") && r.err().contains("batch units only"), r.err());
        CommandRun r2 = CommandRun.of(List.of("spark", "--averaging-frequency", "0", "--out", out.toString()));
        assertEquals(2, r2.code(), r2::err);
        assertTrue(r2.err().contains("--averaging-frequency"), r2.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
