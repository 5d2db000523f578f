package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data bigger than the memory limits, in a JVM started with a 64 MB heap and at most 224 MB of memory in all
 * (JavaCPP's maxphysicalbytes, which ND4J's allocations are checked against): 125 MB of mini-batch files train (they
 * are loaded one prefetch window at a time), and a plain iterator over the same amount is refused with a dgrab
 * message naming the bytes and the on-demand sources, before training.
 */
class BigDataForkTest {
    private static final String BATCHES = "20";
    private static final String ROWS = "2000";

    @Test
    void filesBiggerThanMemoryTrainAndACopyIsRefusedWithItsSize(@TempDir Path tmp) throws Exception {
        File dir = tmp.resolve("batches").toFile();
        dir.mkdirs();
        Run files = run(tmp, "files", dir.getPath(), BATCHES, ROWS);
        assertEquals(0, files.exit, files.output);
        assertTrue(files.output.contains("trained 20 epoch 1"), files.output);

        Run copy = run(tmp, "copy", BATCHES, ROWS);
        assertEquals(3, copy.exit, copy.output);
        assertTrue(copy.output.contains("dgrab: copying the ExistingDataSetIterator into memory needs more than")
                && copy.output.contains("org.bytedeco.javacpp.maxphysicalbytes")
                && copy.output.contains("ExistingMiniBatchDataSetIterator"), copy.output);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path tmp, String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-Dorg.bytedeco.javacpp.maxbytes=96m",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=224m", "-cp", System.getProperty("java.class.path"),
                BigDataMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        File log = tmp.resolve(args[0] + ".log").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(args[0] + " did not finish in 180 s: " + Files.readString(log.toPath()));
        }
        return new Run(p.exitValue(), Files.readString(log.toPath()));
    }
}
