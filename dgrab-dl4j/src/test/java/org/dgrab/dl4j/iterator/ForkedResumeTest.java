package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dgrab.dl4j.Granularity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code net.fit} training stopped (after an epoch, or killed mid-epoch right after a checkpoint) and resumed in a
 * new JVM ends with the same parameter bits and the same orders as an uninterrupted run.
 */
class ForkedResumeTest {
    private static final int EPOCHS = 4;

    @ParameterizedTest
    @EnumSource(value = Granularity.class, names = {"BATCH", "EXAMPLE_LAST_LAYER"})
    void resumeInANewJvmIsBitIdentical(Granularity g, @TempDir Path tmp) throws Exception {
        List<String> full = run(tmp, "full", "none", g);
        assertEquals(EPOCHS + 2, full.size(), "one line per epoch, params, counts: " + full);
        assertTrue(!full.get(0).equals(full.get(1)), "the order changes between epochs");

        List<String> firstPart = run(tmp, "stop-epoch", "a", g);
        List<String> rest = run(tmp, "resume", "a", g);
        assertEquals(full.subList(0, 2), firstPart, "epochs before the stop");
        assertEquals(full, join(firstPart, rest), "after a stop at epoch 2 and a resume in a new JVM");

        // 6 batches an epoch: iteration 8 is inside epoch 1; the process is halted right after that checkpoint.
        List<String> killed = run(tmp, "stop-iter", "b", g);
        assertEquals(full.subList(0, 1), killed, "only epoch 0 completed before the halt");
        List<String> resumed = run(tmp, "resume", "b", g);
        assertEquals(full.subList(1, full.size()), resumed, "after a mid-epoch halt and a resume in a new JVM");
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> run(Path tmp, String mode, String ckpt, Granularity g) throws Exception {
        File dir = tmp.resolve("ckpt-" + ckpt).toFile();
        dir.mkdirs();
        File out = tmp.resolve(mode + "-" + ckpt + ".txt").toFile();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ResumeMain.class.getName(), mode, dir.getPath(), g.name(), String.valueOf(EPOCHS), "2", "8",
                out.getPath());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        File log = tmp.resolve(mode + "-" + ckpt + ".log").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mode + " did not finish in 120 s; log: " + Files.readString(log.toPath()));
        }
        assertEquals(0, p.exitValue(), mode + " failed: " + Files.readString(log.toPath()));
        return Files.readAllLines(out.toPath());
    }
}
