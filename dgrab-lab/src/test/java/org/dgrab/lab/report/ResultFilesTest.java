package org.dgrab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.IIOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link ResultFiles}: each file on its own, failures named with path and cause, nothing else undone. */
class ResultFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aFailingWriterIsNamedWithItsCauseAndTheOtherFilesAreWritten() throws IOException {
        Path dir = tmp.resolve("out");
        ResultFiles files = new ResultFiles(dir);
        assertTrue(files.write("a.csv", f -> Files.writeString(f, "a\n")));
        // What ImageIO throws on a full disk: its own message names neither the file nor the reason.
        assertFalse(files.write("chart.png", f -> {
            Files.writeString(f, "half a PNG");
            throw new IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
        }));
        assertTrue(files.write("b.csv", f -> Files.writeString(f, "b\n")));

        assertEquals(List.of(dir.resolve("a.csv"), dir.resolve("b.csv")), files.written());
        assertEquals("a\n", Files.readString(dir.resolve("a.csv"), StandardCharsets.UTF_8));
        assertEquals("b\n", Files.readString(dir.resolve("b.csv"), StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("chart.png")), "a failed file must not appear half written");
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(2, all.count(), "no temporary left behind");
        }

        StringWriter log = new StringWriter();
        ResultFiles.ResultFilesException e = assertThrows(ResultFiles.ResultFilesException.class,
                () -> files.finish(new PrintWriter(log), "the table and the summary line"));
        String m = e.getMessage();
        assertTrue(m.startsWith("could not write " + dir.resolve("chart.png") + " (writing failed: IIOException: "
                + "I/O error writing PNG file!; caused by IOException: No space left on device)"), m);
        assertTrue(m.contains("Written: " + dir.resolve("a.csv") + ", " + dir.resolve("b.csv") + "."), m);
        assertTrue(m.endsWith("Printed above on stdout: the table and the summary line."), m);
        assertEquals(1, e.failures().size());
        assertEquals(dir.resolve("chart.png"), e.failures().get(0).path());
        assertEquals("wrote " + dir.resolve("a.csv") + System.lineSeparator() + "wrote " + dir.resolve("b.csv")
                + System.lineSeparator(), log.toString());
    }

    @Test
    void aDirectoryInTheWayIsSaidAndEveryFailureIsListed() throws IOException {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir.resolve("metrics.png"));
        // Not empty: a rename may replace an empty directory, never a full one.
        Files.writeString(dir.resolve("metrics.png").resolve("keep"), "x");
        ResultFiles files = new ResultFiles(dir);
        assertFalse(files.write("metrics.png", f -> Files.writeString(f, "png")));
        assertFalse(files.write("metrics.csv", f -> {
            throw new IllegalStateException("chart library bug");
        }));
        assertTrue(files.written().isEmpty());
        ResultFiles.ResultFilesException e = assertThrows(ResultFiles.ResultFilesException.class,
                () -> files.finish(new PrintWriter(new StringWriter()), "nothing but the summary line"));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("metrics.png") + " (")
                && m.contains("a directory has that name"), m);
        assertTrue(m.contains(", and " + dir.resolve("metrics.csv") + " (writing failed: IllegalStateException: "
                + "chart library bug)"), m);
        assertTrue(m.contains("Written: nothing."), m);
        assertEquals("x", Files.readString(dir.resolve("metrics.png").resolve("keep")), "the directory is untouched");
    }

    @Test
    void allWrittenFinishesQuietlyListingTheFiles() throws IOException {
        ResultFiles files = new ResultFiles(tmp.resolve("new").resolve("dir"));
        assertTrue(files.write("x.csv", f -> Files.writeString(f, "x")));
        StringWriter log = new StringWriter();
        files.finish(new PrintWriter(log), "unused");
        assertEquals("wrote " + tmp.resolve("new").resolve("dir").resolve("x.csv").toAbsolutePath()
                + System.lineSeparator(), log.toString());
        assertTrue(files.failed().isEmpty());
    }

    @Test
    void aFileReplacesTheOldOneAndTemporariesOfKilledRunsAreRemoved() throws Exception {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.csv"), "old");
        // A process that has ended stands for a run killed with SIGKILL while it wrote metrics.csv.
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path killed = Files.writeString(dir.resolve(".metrics.csv." + p.pid() + "-k2j4.tmp"), "partial");
        Path live = Files.writeString(dir.resolve(".metrics.csv." + ProcessHandle.current().parent().orElseThrow().pid()
                + "-x1.tmp"), "another run, still writing");
        Path otherName = Files.writeString(dir.resolve(".herding.csv." + p.pid() + "-q.tmp"), "another file's");
        ResultFiles files = new ResultFiles(dir);
        assertTrue(files.write("metrics.csv", f -> {
            assertEquals("old", Files.readString(dir.resolve("metrics.csv")), "nothing visible before the rename");
            Files.writeString(f, "complete");
        }));
        assertEquals("complete", Files.readString(dir.resolve("metrics.csv")));
        assertFalse(Files.exists(killed), "temporary of a dead process removed");
        assertTrue(Files.exists(live), "temporary of a live process kept");
        assertTrue(Files.exists(otherName), "only temporaries of the file being written are looked at");
        assertThrows(IllegalArgumentException.class, () -> files.write("../escape.csv", f -> { }));
    }

    @Test
    void probeCreatesAndRemovesAFileAndRefusesWhatIsInTheWay() throws IOException {
        Path nested = tmp.resolve("a").resolve("b");
        ResultFiles.probe(nested);
        assertFalse(Files.exists(tmp.resolve("a")), "the probe leaves nothing behind");
        Files.createDirectories(nested);
        ResultFiles.probe(nested);
        try (Stream<Path> left = Files.list(nested)) {
            assertEquals(0, left.count(), "no probe file left");
        }
        Path file = Files.writeString(tmp.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> ResultFiles.probe(file.resolve("sub")));
        assertTrue(e.getMessage().contains("cannot create " + file.resolve("sub") + ": " + file + " is not a directory"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> ResultFiles.probe(file));
        assertTrue(e.getMessage().contains("exists and is not a directory"), e.getMessage());
    }
}
