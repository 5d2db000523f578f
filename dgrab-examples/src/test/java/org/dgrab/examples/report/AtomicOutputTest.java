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
