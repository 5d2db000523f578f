package org.dgrab.core.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: the old file or the new one, complete, after a failure, a full disk or a kill -9. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesTheTargetAndLeavesNoTemporary() throws IOException {
        Path target = tmp.resolve("ckpt.bin");
        AtomicFiles.write(target, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(target, out -> {
            out.write("new".getBytes(StandardCharsets.UTF_8));
            out.close();  // a writer may close its stream (ZipOutputStream does): the force still comes after
        });
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), list(tmp), "no temporary left");
    }

    @Test
    void aFailingWriterLeavesThePreviousFileAndNamesIt() throws IOException {
        Path target = tmp.resolve("ckpt.bin");
        Files.writeString(target, "previous");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals("previous", Files.readString(target));
        assertEquals(List.of(target), list(tmp), "the temporary is deleted");

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.write(target, out -> {
                    throw new IllegalStateException("state cannot be saved");
                }));
        assertEquals("state cannot be saved", refused.getMessage(), "runtime refusals pass unchanged");
        assertEquals("previous", Files.readString(target));
        assertEquals(List.of(target), list(tmp));
    }

    @Test
    void aFullDiskLeavesThePreviousFileAndNamesIt() throws IOException {
        // /dev/full answers every write with ENOSPC, as a full file system does.
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
        Path target = tmp.resolve("ckpt.bin");
        Files.writeString(target, "previous");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target,
                out -> out.write(new byte[1 << 20]), t -> FileChannel.open(full, StandardOpenOption.WRITE)));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals("previous", Files.readString(target));
        assertEquals(List.of(target), list(tmp), "the temporary is deleted");
    }

    @Test
    void refusesTargetsThatCannotBeFiles() throws IOException {
        IOException noDir = assertThrows(IOException.class,
                () -> AtomicFiles.write(tmp.resolve("missing").resolve("f"), out -> { }));
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
        Path dir = Files.createDirectory(tmp.resolve("d"));
        IOException isDir = assertThrows(IOException.class, () -> AtomicFiles.write(dir, out -> { }));
        assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
    }

    @Test
    void temporariesOfDeadWritersGoThoseOfLiveOnesStay() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path dead = Files.writeString(tmp.resolve(".a.zip." + ended.pid() + "-k2.tmp"), "partial");
        Path running = Files.writeString(tmp.resolve(".a.zip." + live + "-x1.tmp"), "still written");
        Path mine = Files.writeString(tmp.resolve(".a.zip." + ProcessHandle.current().pid() + "-m.tmp"), "this JVM's");
        Path oldLegacy = Files.writeString(tmp.resolve(".a.zip1234567.tmp"), "Files.createTempFile, older version");
        Files.setLastModifiedTime(oldLegacy, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path newLegacy = Files.writeString(tmp.resolve(".a.zip.7zz.tmp"), "older version, written in this run");
        Path other = Files.writeString(tmp.resolve(".b.zip." + ended.pid() + "-q.tmp"), "another target's");

        assertTrue(AtomicFiles.isTemporary(dead.getFileName().toString(), "a.zip"::equals));
        assertTrue(AtomicFiles.isTemporary(oldLegacy.getFileName().toString(), "a.zip"::equals));
        assertFalse(AtomicFiles.isTemporary(other.getFileName().toString(), "a.zip"::equals));
        assertFalse(AtomicFiles.isTemporary("a.zip", "a.zip"::equals));

        assertEquals(2, AtomicFiles.removeStaleTemporaries(tmp, "a.zip"::equals));
        assertFalse(Files.exists(dead), "writer gone");
        assertFalse(Files.exists(oldLegacy), "without a process id and older than this run");
        assertTrue(Files.exists(running), "a live writer's");
        assertTrue(Files.exists(mine), "this process's own");
        assertTrue(Files.exists(newLegacy), "without a process id but written during this run");
        assertTrue(Files.exists(other), "another target's");
    }

    /**
     * A writer process replacing a 4 MiB file in a loop is killed with SIGKILL at several moments; every time the
     * target is one complete generation, and the next write removes the dead writer's temporary.
     */
    @Test
    void aKilledWriterLeavesTheOldOrTheNewFileNeverATruncatedOne() throws Exception {
        Path target = tmp.resolve("state.bin");
        int size = KillDuringWriteMain.SIZE;
        AtomicFiles.write(target, out -> out.write(new byte[size]));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        for (int delayMs : new int[] {0, 7, 31, 113}) {
            byte before = Files.readAllBytes(target)[0];
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    KillDuringWriteMain.class.getName(), target.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("writer.log").toFile()).start();
            try {
                // Kill once the writer is replacing the file, at a different point of a write each round.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Files.readAllBytes(target)[0] == before) {
                    assertTrue(p.isAlive(), () -> "writer ended: " + read(tmp.resolve("writer.log")));
                    assertTrue(System.nanoTime() < deadline, "the writer replaced nothing in 60 s");
                    Thread.sleep(5);
                }
                Thread.sleep(delayMs);
            } finally {
                p.destroyForcibly();  // SIGKILL on Linux: no shutdown hook, no finally block runs
                p.waitFor();
            }
            byte[] now = Files.readAllBytes(target);
            assertEquals(size, now.length, "complete after a kill " + delayMs + " ms into the writes");
            byte[] uniform = new byte[size];
            Arrays.fill(uniform, now[0]);
            assertArrayEquals(uniform, now, "one generation, not a mix, after a kill " + delayMs + " ms in");
        }
        AtomicFiles.write(target, out -> out.write(1));
        assertEquals(List.of(target), list(tmp).stream().filter(f -> !f.endsWith("writer.log")).toList(),
                "temporaries of the killed writers are gone after the next write");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
