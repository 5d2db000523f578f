package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.dgrab.lab.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parallel-wrapper} on tiny generated Fashion-MNIST files. */
class ParallelWrapperCommandTest {

    @TempDir
    Path tmp;

    @Test
    void trainsEveryCombinationAndWritesOneRowPerEpoch() throws Exception {
        Path data = tmp.resolve("fashion");
        TestFiles.writeFashion(data, 64, 20, true);
        Path out = tmp.resolve("out");
        CommandRun r = CommandRun.of(List.of("parallel-wrapper", "--data-dir", data.toString(), "--workers", "2",
                "--averaging", "1,2", "--seeds", "0", "--epochs", "2", "--granularities", "batch", "--batch", "4",
                "--observers", "thread,workers",
                "--out", out.toString()));
        assertEquals(0, r.code(), r::err);
        // The final values per configuration are printed before the CSV is written.
        assertTrue(r.out().contains("after epoch 2 (seed 0; train loss over the whole training set):"), r.out());
        assertTrue(Pattern.compile("workers +averaging +granularity +order +observer +train loss +"
                + "test accuracy +s/epoch\\n(2 +[12] +batch +(cd-grab +(thread|workers)|d-rr +-)( +\\S+){3}\\n){6}")
                .matcher(r.out()).find(), "one row per configuration and observer: " + r.out());
        assertTrue(r.err().contains("wrote " + out.toAbsolutePath().resolve("parallel-wrapper.csv")), r.err());
        List<String> lines = Files.readAllLines(out.resolve("parallel-wrapper.csv"), StandardCharsets.UTF_8);
        assertEquals("order,workers,averaging,granularity,seed,epoch,train_loss,test_accuracy,epoch_seconds,observer,"
                + "listener_seconds,cumulative_seconds", lines.get(0));
        assertEquals(2 * 3 * 2, lines.size() - 1, "2 averaging frequencies x (CD-GraB x 2 observers, D-RR) x 2 epochs");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertTrue(f[0].equals("cd-grab") || f[0].equals("d-rr"), l);
            assertEquals("2", f[1]);
            assertEquals("batch", f[3]);
            double loss = Double.parseDouble(f[6]);
            double acc = Double.parseDouble(f[7]);
            assertTrue(Double.isFinite(loss) && loss > 0, l);
            assertTrue(acc >= 0 && acc <= 1, l);
            assertTrue(Double.parseDouble(f[8]) > 0, l);
            double inListener = Double.parseDouble(f[10]);
            assertTrue(inListener >= 0 && inListener < 2 * Double.parseDouble(f[8]),
                    "time in dgrab's listener, summed over 2 workers: " + l);
            double cumulative = Double.parseDouble(f[11]);
            assertEquals(f[5].equals("1") ? Double.parseDouble(f[8]) : cumulative, cumulative, 2e-4,
                    "after epoch 1 the cumulative time is the epoch's: " + l);
            assertTrue(cumulative >= Double.parseDouble(f[8]) - 1e-4, l);
            if (f[0].equals("d-rr")) {
                assertEquals("-", f[9], "D-RR observes no gradients: " + l);
            } else {
                assertTrue(f[9].equals("thread") || f[9].equals("workers"), l);
            }
        }
        for (String a : new String[] {"1", "2"}) {
            assertTrue(Pattern.compile("(?m)^time-to-drr-final workers=2 averaging=" + a + " granularity=batch "
                    + "cd-grab\\(thread\\)=(none|[0-9.]+) cd-grab\\(workers\\)=(none|[0-9.]+) d-rr=[0-9.]+$")
                    .matcher(r.out()).find(), "time to d-rr's final loss per configuration: " + r.out());
        }
        // Per configuration and seed the runs take turns epoch by epoch, the first one rotating.
        assertTrue(lines.get(1).startsWith("cd-grab,2,1,batch,0,1,") && lines.get(1).contains(",thread,")
                        && lines.get(2).startsWith("cd-grab,2,1,batch,0,1,") && lines.get(2).contains(",workers,")
                        && lines.get(3).startsWith("d-rr,2,1,batch,0,1,")
                        && lines.get(4).startsWith("cd-grab,2,1,batch,0,2,") && lines.get(4).contains(",workers,")
                        && lines.get(5).startsWith("d-rr,2,1,batch,0,2,")
                        && lines.get(6).startsWith("cd-grab,2,1,batch,0,2,") && lines.get(6).contains(",thread,"),
                "runs take turns per epoch: " + lines);
    }

    @Test
    void badOptionsAreRefusedBeforeTraining() {
        Path out = tmp.resolve("never");
        CommandRun r = CommandRun.of(List.of("parallel-wrapper", "--granularities", "example-exact", "--out",
                out.toString()));
        assertEquals(2, r.code(), r::err);
        assertTrue(r.err().contains("--granularities") && r.err().contains("example-exact"), r.err());
        CommandRun r2 = CommandRun.of(List.of("parallel-wrapper", "--workers", "0", "--out", out.toString()));
        assertEquals(2, r2.code(), r2::err);
        assertTrue(r2.err().contains("--workers"), r2.err());
        CommandRun r3 = CommandRun.of(List.of("parallel-wrapper", "--observers", "gpu", "--out", out.toString()));
        assertEquals(2, r3.code(), r3::err);
        assertTrue(r3.err().contains("--observers") && r3.err().contains("gpu") && r3.err().contains("thread, workers"),
                r3.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void listsLimitsOrdersAndLearningRateAreCheckedBeforeAnyDataIsRead() {
        Path out = tmp.resolve("never");
        // A data folder that does not exist: an option refused with exit code 2 proves that it was checked first.
        String data = tmp.resolve("no-data").toString();
        String[][] cases = {
                {"--workers", "2,4,2", "2 is listed twice"},
                {"--seeds", "0,1,0", "0 is listed twice"},
                {"--averaging", "5,5", "5 is listed twice"},
                {"--orders", "cd-grab,rr,d-rr", "d-rr is listed twice"},
                {"--granularities", "batch,batch", "batch is listed twice"},
                {"--observers", "thread,thread", "thread is listed twice"},
                {"--limit-train", "-5", "valid: 0 (all) or at least the largest --workers"},
                {"--limit-train", "3", "at least the largest --workers, 4"},
                {"--orders", "foo", "foo"},
                {"--lr", "NaN", "valid: > 0 and <= 10"},
                {"--lr", "Infinity", "valid: > 0 and <= 10"},
                {"--granularities", "sideways", "sideways"},
        };
        for (String[] c : cases) {
            CommandRun r = CommandRun.of(List.of("parallel-wrapper", "--data-dir", data, c[0], c[1], "--out",
                    out.toString()));
            assertEquals(2, r.code(), () -> String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[0]) && r.err().contains(c[2]), () -> String.join(" ", c) + ": " + r.err());
            assertFalse(r.err().contains("no-data"), () -> "data was looked at first: " + r.err());
        }
        assertFalse(Files.exists(out), "nothing written");
    }
}
