package org.dgrab.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link AtomicOutput}: all files or none. */
class AtomicOutputTest {

    @TempDir
    Path tmp;

    @Test
    void commitMovesEveryFileAndReplacesOldResults() throws IOException {
        Path dir = tmp.resolve("a").resolve("b");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("r.csv"), "old");
        try (AtomicOutput o = new AtomicOutput(dir)) {
            Files.writeString(o.create("r.csv"), "new");
            Files.writeString(o.create("r.png"), "png");
            assertEquals("old", Files.readString(dir.resolve("r.csv")), "nothing visible before commit");
            List<Path> done = o.commit();
            assertEquals(List.of(dir.resolve("r.csv"), dir.resolve("r.png")), done);
        }
        assertEquals("new", Files.readString(dir.resolve("r.csv")));
        assertEquals("png", Files.readString(dir.resolve("r.png")));
        assertEquals(2, count(dir), "no temporary files left");
    }

    @Test
    void temporariesOfKilledRunsAreRemovedAndThoseOfLiveOnesKept() throws Exception {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        // A process that has ended stands for a run killed with SIGKILL while it wrote metrics.csv.
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path killed = Files.writeString(dir.resolve(".metrics.csv." + p.pid() + "-k2j4.tmp"), "partial");
        Path live = Files.writeString(dir.resolve(".metrics.csv." + ProcessHandle.current().parent().orElseThrow().pid()
                + "-x1.tmp"), "another run, still writing");
        Path oldLegacy = Files.writeString(dir.resolve(".metrics.csv.3abc9.tmp"), "left by an older dgrab");
        Files.setLastModifiedTime(oldLegacy, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1)).minusSeconds(60)));
        Path newLegacy = Files.writeString(dir.resolve(".metrics.csv.7zz.tmp"), "recent, perhaps still written");
        Path otherName = Files.writeString(dir.resolve(".herding.csv." + p.pid() + "-q.tmp"), "another file's");
        try (AtomicOutput o = new AtomicOutput(dir)) {
            Files.writeString(o.create("metrics.csv"), "complete");
            o.commit();
        }
        assertEquals("complete", Files.readString(dir.resolve("metrics.csv")));
        assertFalse(Files.exists(killed), "temporary of a dead process removed");
        assertFalse(Files.exists(oldLegacy), "old temporary without a process id removed");
        assertTrue(Files.exists(live), "temporary of a live process kept");
        assertTrue(Files.exists(newLegacy), "recent temporary without a process id kept");
        assertTrue(Files.exists(otherName), "only temporaries of the file being written are looked at");
    }

    @Test
    void closeWithoutCommitLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("x").resolve("y");
        try (AtomicOutput o = new AtomicOutput(dir)) {
            Files.writeString(o.create("r.csv"), "partial");
            assertTrue(Files.isDirectory(dir));
            // no commit: as if writing the second file had failed
        }
        assertFalse(Files.exists(tmp.resolve("x")), "directories created by the output are removed again");
        assertEquals(0, count(tmp));
    }

    @Test
    void rejectsBadNamesAndBadDirectories() throws IOException {
        try (AtomicOutput o = new AtomicOutput(tmp)) {
            assertThrows(IllegalArgumentException.class, () -> o.create("../escape.csv"));
            o.create("r.csv");
            assertThrows(IllegalArgumentException.class, () -> o.create("r.csv"));
        }
        Path file = Files.writeString(tmp.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicOutput.checkWritableDir(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertThrows(IOException.class, () -> new AtomicOutput(file.resolve("sub")));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void probeWritesAndRemovesAFileAndTheDirectoriesItMade() throws IOException {
        Path nested = tmp.resolve("a").resolve("b");
        AtomicOutput.probe(nested);
        assertFalse(Files.exists(tmp.resolve("a")), "the probe leaves nothing behind");
        Files.createDirectories(nested);
        AtomicOutput.probe(nested);
        try (Stream<Path> left = Files.list(nested)) {
            assertEquals(0, left.count(), "no probe file left");
        }
        Path file = Files.writeString(tmp.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicOutput.probe(file.resolve("sub")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }
}
