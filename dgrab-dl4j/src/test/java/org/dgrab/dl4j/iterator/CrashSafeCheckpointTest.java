package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OrderingCheckpoint#save} in a process killed with SIGKILL while it writes, or out of disk space (a file
 * size limit, which makes the kernel refuse writes as a full disk does): the target is always the old or the new
 * checkpoint, complete and restorable, never a truncated one.
 */
class CrashSafeCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void aKillDuringSaveLeavesACompleteCheckpoint() throws Exception {
        Path target = tmp.resolve("ckpt.zip");
        for (int delayMs : new int[] {0, 3, 17}) {
            Process p = start(List.of(java(), "-cp", System.getProperty("java.class.path"),
                    SaveLoopMain.class.getName(), target.toString(), "0"), "loop-" + delayMs);
            try {
                awaitLine(p, "saved 2", "loop-" + delayMs);  // then the next write is under way, or about to be
                Thread.sleep(delayMs);
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            assertRestorable(target.toFile());
        }
        // The next save removes the temporaries of the killed writers.
        Process last = start(List.of(java(), "-cp", System.getProperty("java.class.path"),
                SaveLoopMain.class.getName(), target.toString(), "1"), "final");
        assertEquals(0, last.waitFor(), read("final"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    @Test
    void aFullDiskLeavesThePreviousCheckpointAndNamesTheFile() throws Exception {
        Path target = tmp.resolve("ckpt.zip");
        Process first = start(List.of(java(), "-cp", System.getProperty("java.class.path"),
                SaveLoopMain.class.getName(), target.toString(), "1"), "first");
        assertEquals(0, first.waitFor(), read("first"));
        byte[] before = Files.readAllBytes(target);
        // ulimit -f (512-byte blocks) well below one checkpoint: every write past it fails with EFBIG. The JVM
        // ignores SIGXFSZ, so the failure reaches Java as an IOException, as "No space left on device" would.
        long blocks = before.length / 512 / 4;
        Process full = start(List.of("bash", "-c", "ulimit -f " + blocks + " && exec \"$0\" \"$@\"", java(),
                "-XX:-UsePerfData", "-Xshare:off", "-cp", System.getProperty("java.class.path"),
                SaveLoopMain.class.getName(), target.toString(), "1"), "full");
        assertNotEquals(0, full.waitFor(), "the save must fail: " + read("full"));
        String log = read("full");
        assertTrue(log.contains("could not write " + target.toAbsolutePath()), log);
        assertArrayEquals(before, Files.readAllBytes(target), "the previous checkpoint is unchanged");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "the failed write removed its temporary");
        }
    }

    private void assertRestorable(File f) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(f, true);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(TestData.batches(TestData.blobs(32, 64, 3, 11), 8)))
                .setModel(net).optOrdering(OrderingConfig.of("cd-grab", 5)).build();
        OrderingCheckpoint.restore(f, it);
        assertTrue(it.ordering().epoch() >= 2, "at least the second save's state");
    }

    private Process start(List<String> command, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private void awaitLine(Process p, String line, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!read(name).contains(line)) {
            assertTrue(p.isAlive(), () -> name + " ended: " + read(name));
            assertTrue(System.nanoTime() < deadline, () -> name + " did not print '" + line + "' in 120 s: " + read(name));
            Thread.sleep(10);
        }
    }

    private String read(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
