package org.dgrab.lab.report;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dgrab.core.internal.io.AtomicFiles;

/**
 * The result files of one command, written one after the other, each independently: a file is written to a hidden
 * temporary beside it and renamed into place as soon as it is complete ({@link AtomicFiles}), so it appears whole or
 * not at all, and a file that cannot be written (a full disk, a PNG encoder error, a directory in the way of its
 * name) neither stops the files after it nor takes back the ones before it. The failures are collected with the
 * path and the cause, and {@link #finish} reports them together with what was written.
 *
 * <pre>{@code
 * ResultFiles files = new ResultFiles(dir);
 * files.write("results.csv", tmp -> writeCsv(tmp));
 * files.write("chart.png", tmp -> chart.writePng(tmp));
 * files.finish(err, "the tables and the summary line");   // throws when a file failed
 * }</pre>
 *
 * Not thread-safe.
 */
public final class ResultFiles {

    /** Writes one file's content. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param file the (temporary) file to write; it exists and is empty
         * @throws IOException on a write failure
         */
        void write(Path file) throws IOException;
    }

    /**
     * A file that could not be written.
     *
     * @param path  the file's final path (absolute)
     * @param stage what failed: {@code "writing"} or {@code "renaming the finished file into place"}
     * @param cause the exception
     */
    public record Failure(Path path, String stage, Throwable cause) {
        /** @return the path, the stage and the cause with its causes, e.g. for the command's error message */
        public String describe() {
            StringBuilder s = new StringBuilder(path.toString()).append(" (").append(stage).append(" failed: ")
                    .append(ResultFiles.describe(cause));
            // Encoders wrap the useful part (ImageIO: "I/O error writing PNG file!" around "No space left").
            for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                s.append("; caused by ").append(ResultFiles.describe(c));
            }
            if (Files.isDirectory(path)) {
                s.append("; a directory has that name");
            }
            return s.append(')').toString();
        }
    }

    private final Path dir;
    private final List<Path> written = new ArrayList<>();
    private final List<Failure> failed = new ArrayList<>();

    /**
     * @param dir the output directory; created by the first write if missing
     */
    public ResultFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** @return the output directory (absolute) */
    public Path dir() {
        return dir;
    }

    /**
     * Writes one file and renames it into place; a failure is recorded, not thrown, so that the other files are
     * still written.
     *
     * @param name   the file name within the directory, e.g. {@code metrics.csv}
     * @param writer writes the content
     * @return true if the file was written
     */
    public boolean write(String name, Writer writer) {
        Path target = dir.resolve(name);
        if (!dir.equals(target.getParent())) {
            throw new IllegalArgumentException("result file name must not contain a directory: " + name);
        }
        String stage = "writing";
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            AtomicFiles.removeStaleTemporaries(dir, name::equals);
            tmp = AtomicFiles.createTemporary(target);
            // Ctrl-C skips the clean-up below but runs shutdown hooks: do not leave a hidden temporary then either.
            tmp.toFile().deleteOnExit();
            writer.write(tmp);
            stage = "renaming the finished file into place";
            AtomicFiles.commit(tmp, target);
            written.add(target);
            return true;
        } catch (IOException | RuntimeException | AWTError | LinkageError | OutOfMemoryError e) {
            deleteQuietly(tmp);
            // Chart drawing fails with errors as well (a JVM without fonts: AWTError or UnsatisfiedLinkError; a huge
            // image: OutOfMemoryError, recoverable once the image is dropped). Each would otherwise cost the files
            // that are already written their mention, and the ones still to come their chance.
            failed.add(new Failure(target, stage, e));
            return false;
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // The write's own failure is what gets reported; a leftover temporary is removed by the next write.
        }
    }

    /**
     * Proves, before any long computation, that result files can be written under {@code dir}, by creating and
     * deleting a file in it or, if it does not exist yet, in its nearest existing ancestor (where the directory
     * would be created). Permission bits alone do not tell: {@code /proc} or a read-only mount look writable to
     * root. Nothing is left behind.
     *
     * @param dir the output directory
     * @throws IOException saying what is in the way
     */
    public static void probe(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path p = abs;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("no existing ancestor of " + dir);
        }
        if (!Files.isDirectory(p)) {
            throw new IOException(p.equals(abs) ? dir + " exists and is not a directory"
                    : "cannot create " + dir + ": " + p + " is not a directory");
        }
        try {
            Files.delete(AtomicFiles.createTemporary(p.resolve("write-probe")));
        } catch (IOException e) {
            throw new IOException("cannot create files in " + p + ": " + e, e);
        }
    }

    /** @return the files written so far, in order */
    public List<Path> written() {
        return List.copyOf(written);
    }

    /** @return the files that could not be written, in order */
    public List<Failure> failed() {
        return List.copyOf(failed);
    }

    /**
     * Lists the written files ({@code wrote PATH}, one line each) and, if a file could not be written, throws an
     * exception whose message names every such file with its cause, the files that were written, and what was
     * printed instead.
     *
     * @param log     receives the {@code wrote} lines
     * @param printed what the command printed on stdout before writing, for the error message, e.g.
     *                {@code "the per-round table, the time per ordering and the summary line"}
     * @throws ResultFilesException if any file could not be written
     */
    public void finish(PrintWriter log, String printed) throws ResultFilesException {
        for (Path p : written) {
            log.println("wrote " + p);
        }
        log.flush();
        if (failed.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("could not write ");
        for (int i = 0; i < failed.size(); i++) {
            msg.append(i == 0 ? "" : ", and ").append(failed.get(i).describe());
        }
        msg.append(". Written: ");
        if (written.isEmpty()) {
            msg.append("nothing");
        } else {
            for (int i = 0; i < written.size(); i++) {
                msg.append(i == 0 ? "" : ", ").append(written.get(i));
            }
        }
        msg.append(". Printed above on stdout: ").append(printed).append('.');
        ResultFilesException e = new ResultFilesException(msg.toString(), failed);
        for (Failure f : failed) {
            e.addSuppressed(f.cause());
        }
        throw e;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    }

    /** Result files could not all be written; the message says which, why, and what was written and printed. */
    public static final class ResultFilesException extends IOException {
        private static final long serialVersionUID = 1L;

        /** Not serialised: the causes are kept for callers in this process only. */
        private final transient List<Failure> failures;

        /**
         * @param message  the whole report
         * @param failures the files that failed
         */
        public ResultFilesException(String message, List<Failure> failures) {
            super(message);
            this.failures = List.copyOf(failures);
        }

        /** @return the files that could not be written */
        public List<Failure> failures() {
            return failures;
        }
    }
}
