package org.dgrab.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dgrab.core.io.AtomicFiles;

/**
 * A set of result files that appear together and complete, or not at all. Each file is first written to a hidden
 * temporary file in the target directory; {@link #commit()} then renames every one to its final name (an atomic
 * rename within one directory, replacing an older result). Closing without committing deletes the temporary
 * files and any directory this object created, so a failed or interrupted command leaves no partial results; the
 * temporaries a killed process could not delete (they carry its process id) are removed by the next output that
 * writes a file of the same name into the directory. Temporaries, their clean-up and the forced, atomic rename are
 * {@link AtomicFiles}'s, shared with dgrab's checkpoints.
 *
 * <pre>{@code
 * try (AtomicOutput files = new AtomicOutput(dir)) {
 *     write(files.create("results.csv"));
 *     draw(files.create("chart.png"));
 *     files.commit();
 * }
 * }</pre>
 *
 * Not thread-safe.
 */
public final class AtomicOutput implements AutoCloseable {

    private final Path dir;
    private final Deque<Path> createdDirs = new ArrayDeque<>();
    private final Map<Path, Path> pending = new LinkedHashMap<>();
    private boolean committed;
    private boolean closed;

    /**
     * Opens (and if needed creates) the output directory.
     *
     * @param dir the directory that receives the files
     * @throws IOException if it cannot be created, or exists but is not a directory
     */
    public AtomicOutput(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        checkWritableDir(this.dir);
        // Remember which directories we create, from the outermost down, to remove them again on failure.
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = this.dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (IOException e) {
                close();
                throw new IOException("cannot create output directory " + this.dir + ": " + e, e);
            }
            createdDirs.push(p);
        }
    }

    /**
     * Checks, before any long computation, that files can later be written to {@code dir}: it is a writable
     * directory, or it does not exist yet and its nearest existing ancestor is a writable directory.
     *
     * @param dir the directory
     * @throws IOException saying what is in the way
     */
    public static void checkWritableDir(Path dir) throws IOException {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("no existing ancestor of " + dir);
        }
        if (!Files.isDirectory(p)) {
            throw new IOException(p.equals(dir.toAbsolutePath().normalize())
                    ? dir + " exists and is not a directory"
                    : "cannot create " + dir + ": " + p + " is not a directory");
        }
        if (!Files.isWritable(p)) {
            throw new IOException("cannot write to " + p + " (permission denied)");
        }
    }

    /**
     * Proves, before any long computation, that result files can be written to {@code dir}: after the checks of
     * {@link #checkWritableDir} (which give the clearest messages), it creates the directory if needed, writes a
     * probe file there and removes both again. Permission bits alone do not tell: {@code /proc} or a read-only
     * mount look writable to root, and a name can be taken by a directory where a file must go.
     *
     * @param dir the directory
     * @throws IOException saying what failed, and where
     */
    public static void probe(Path dir) throws IOException {
        checkWritableDir(dir);
        try (AtomicOutput out = new AtomicOutput(dir)) {
            Files.write(out.create("write-probe"), new byte[] {0});
        }
    }

    /** @return the output directory (absolute) */
    public Path dir() {
        return dir;
    }

    /**
     * Reserves a result file and returns the temporary path to write it to.
     *
     * @param name file name within the directory, e.g. {@code herding.csv}
     * @return the temporary file (exists, empty) to write the content to
     * @throws IOException if it cannot be created
     * @throws IllegalArgumentException for a name with a directory part or one already reserved
     */
    public Path create(String name) throws IOException {
        checkOpen();
        Path target = dir.resolve(name).normalize();
        if (!dir.equals(target.getParent())) {
            throw new IllegalArgumentException("result file name must not contain a directory: " + name);
        }
        if (pending.containsKey(target)) {
            throw new IllegalArgumentException(name + " is already part of this output");
        }
        AtomicFiles.removeStaleTemporaries(dir, name::equals);
        Path tmp = AtomicFiles.createTemporary(target);
        // Ctrl-C skips finally blocks but runs shutdown hooks: do not leave hidden temporaries behind then either.
        tmp.toFile().deleteOnExit();
        pending.put(target, tmp);
        return tmp;
    }

    /**
     * Moves every written file to its final name.
     *
     * @return the final paths, in creation order
     * @throws IOException if a rename fails (files renamed before it stay in place)
     */
    public List<Path> commit() throws IOException {
        checkOpen();
        List<Path> done = new ArrayList<>();
        for (Map.Entry<Path, Path> e : pending.entrySet()) {
            AtomicFiles.commit(e.getValue(), e.getKey());
            done.add(e.getKey());
        }
        committed = true;
        pending.clear();
        createdDirs.clear();
        return done;
    }

    private void checkOpen() {
        if (committed || closed) {
            throw new IllegalStateException("output in " + dir + " is already " + (committed ? "committed" : "closed"));
        }
    }

    /** Without a commit: deletes the temporary files and the directories this object created (if empty). */
    @Override
    public void close() {
        if (committed || closed) {
            closed = true;
            return;
        }
        closed = true;
        for (Path tmp : pending.values()) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // Best effort: the original failure matters more than a leftover hidden file.
            }
        }
        pending.clear();
        while (!createdDirs.isEmpty()) {
            try {
                Files.deleteIfExists(createdDirs.pop());
            } catch (IOException e) {
                // Not empty (someone else wrote there meanwhile) or not removable: its ancestors cannot go either.
                break;
            }
        }
    }
}
