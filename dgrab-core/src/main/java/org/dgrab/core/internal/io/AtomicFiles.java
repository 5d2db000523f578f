package org.dgrab.core.internal.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crash-safe file replacement, the one implementation behind every file-writing save of dgrab (strategy, trainer,
 * Spark and drop-in checkpoints) and the command line's result files. A file is written to a hidden temporary
 * beside its target ({@code .NAME.<pid>-<random>.tmp}, same directory, hence same file system), forced to the disk
 * ({@link FileChannel#force(boolean)}) and renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}. A
 * reader therefore sees the old file or the new one, complete, whatever happens to the writer (killed, out of disk,
 * power loss after the rename returned); a failed write deletes its temporary, leaves the previous file as it was
 * and throws an {@link IOException} that names the target.
 *
 * <p>A killed writer cannot delete its temporary. The temporary names the writer's process, so the next write of a
 * target (or {@link #removeStaleTemporaries}) deletes those whose process is gone; a temporary of a live writer
 * (two processes writing into one directory) is left alone. Temporaries without a process id, written by older
 * versions ({@code .NAME.<random>.tmp}, {@code .NAME<digits>.tmp}), count as stale when they were last modified
 * before this JVM started.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("ckpt/ordering.bin"), strategy::save);
 * }</pre>
 *
 * Thread-safe: concurrent writes of one target end with one of the written files in place.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PID = ProcessHandle.current().pid();
    /** Temporaries of this version: the target's name, the writer's process id, a random part. */
    private static final Pattern CURRENT = Pattern.compile("\\.(.+)\\.(\\d+)-[0-9a-z]+\\.tmp");
    /** What follows the target's name in temporaries of older versions (AtomicOutput, Files.createTempFile). */
    private static final Pattern LEGACY_TAIL = Pattern.compile("\\.[0-9a-z]+|[0-9]+");
    private static final int BUFFER = 1 << 16;

    /** How the content is written, for {@link #write(Path, Writer)}. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the temporary file's stream; closing it is harmless (it is closed after the force anyway)
         * @throws IOException on failure, which leaves the target unchanged
         */
        void write(OutputStream out) throws IOException;
    }

    /** How a file is read, for {@link #read(Path, Reader)}. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param in the file's stream, closed afterwards
         * @throws IOException on failure
         */
        void read(InputStream in) throws IOException;
    }

    /** Opens the temporary file's channel; a seam for tests that simulate a full disk. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code writer} writes, crash-safely (see the class comment). Stale
     * temporaries of the same target are removed first.
     *
     * @param target the file to create or replace; its directory must exist
     * @param writer writes the content
     * @throws IOException naming the target if anything fails (the previous file, if any, is then unchanged);
     *                     runtime exceptions and errors of the writer propagate as they are, also leaving it unchanged
     */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, tmp -> FileChannel.open(tmp, StandardOpenOption.WRITE));
    }

    static void write(Path target, Writer writer, ChannelOpener opener) throws IOException {
        Path abs = checkTarget(target);
        removeStaleTemporaries(abs.getParent(), abs.getFileName().toString()::equals);
        Path tmp = createTemporary(abs);
        boolean done = false;
        try {
            try (FileChannel ch = opener.open(tmp)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                writer.write(new Unclosable(out));
                out.flush();
                ch.force(true);
            }
            moveIntoPlace(tmp, abs);
            done = true;
        } catch (IOException e) {
            throw new IOException("could not write " + abs + " (the previous file, if any, is unchanged): " + e, e);
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Reads a file written by {@link #write}, the counterpart that puts the file's name into every failure, since
     * the readers' own messages (a checksum mismatch, a field out of range) say what and where, not which file.
     *
     * @param file   the file
     * @param reader reads it
     * @throws IOException {@code cannot read FILE: <the reader's message>}, with the original as cause
     */
    public static void read(Path file, Reader reader) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            reader.read(in);
        } catch (IOException e) {
            throw new IOException("cannot read " + file.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates an empty hidden temporary file beside {@code target}, named for this process, for a caller that
     * writes it by path and then calls {@link #commit}. Not {@code Files.createTempFile}: that makes the file
     * owner-only (0600), and the rename would keep it so; the target should get the permissions of the user's umask,
     * like any other new file.
     *
     * @param target the file the temporary will replace
     * @return the temporary (exists, empty)
     * @throws IOException if it cannot be created
     */
    public static Path createTemporary(Path target) throws IOException {
        Path abs = checkTarget(target);
        for (int attempt = 0; ; attempt++) {
            Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + PID + "-"
                    + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Forces a written temporary to the disk and renames it over {@code target}.
     *
     * @param tmp    a file from {@link #createTemporary} of the same target, completely written and closed
     * @param target the file to replace
     * @throws IOException naming the target if the force or the rename fails (the temporary then stays)
     */
    public static void commit(Path tmp, Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            throw new IOException("could not replace " + abs + " (the previous file, if any, is unchanged): " + e, e);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems (network mounts) cannot rename atomically; a plain replace is the best left.
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        // The rename lives in the directory: force it too, or a power loss may bring the old name back. Not every
        // platform can open a directory; the file's own data is on the disk either way.
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }

    /**
     * Deletes the temporaries in {@code dir} that dead writers left behind for targets whose names {@code targets}
     * accepts: those of a process that is gone (or whose process id now belongs to a process started after the
     * temporary was last written), and those of older versions, without a process id, last modified before this JVM
     * started. Best effort: a file that cannot be listed or deleted is skipped.
     *
     * @param dir     the directory
     * @param targets accepts the names of the targets whose temporaries may go
     * @return how many temporaries were deleted
     */
    public static int removeStaleTemporaries(Path dir, Predicate<String> targets) {
        int deleted = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : all) {
                try {
                    if (isStale(p, targets) && Files.deleteIfExists(p)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    // Best effort: a leftover hidden file must not cost the write that is under way.
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Same: cleaning up is not what the caller asked for.
        }
        return deleted;
    }

    /**
     * @param file    a file name
     * @param targets accepts target names
     * @return whether {@code file} is a temporary of this class (or of older versions) for an accepted target,
     *         stale or not
     */
    public static boolean isTemporary(String file, Predicate<String> targets) {
        Matcher m = CURRENT.matcher(file);
        return m.matches() && targets.test(m.group(1)) || legacyTarget(file, targets).isPresent();
    }

    private static boolean isStale(Path tmp, Predicate<String> targets) throws IOException {
        String file = tmp.getFileName().toString();
        Matcher m = CURRENT.matcher(file);
        if (m.matches() && targets.test(m.group(1))) {
            long pid;
            try {
                pid = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                return false;
            }
            if (pid == PID) {
                return false;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return true;
            }
            // The id may have been reused: a process started after the temporary's last write did not write it.
            Optional<Instant> started = h.get().info().startInstant();
            return started.isPresent() && started.get().isAfter(Files.getLastModifiedTime(tmp).toInstant());
        }
        if (legacyTarget(file, targets).isPresent()) {
            Optional<Instant> thisRun = ProcessHandle.current().info().startInstant();
            return thisRun.isPresent() && Files.getLastModifiedTime(tmp).toInstant().isBefore(thisRun.get());
        }
        return false;
    }

    /** The target of an older version's temporary: {@code .NAME.<random>.tmp} or {@code .NAME<digits>.tmp}. */
    private static Optional<String> legacyTarget(String file, Predicate<String> targets) {
        if (!file.startsWith(".") || !file.endsWith(".tmp") || CURRENT.matcher(file).matches()) {
            return Optional.empty();
        }
        String middle = file.substring(1, file.length() - ".tmp".length());
        for (int cut = middle.length() - 1; cut > 0; cut--) {
            if (LEGACY_TAIL.matcher(middle.substring(cut)).matches() && targets.test(middle.substring(0, cut))) {
                return Optional.of(middle.substring(0, cut));
            }
        }
        return Optional.empty();
    }

    private static Path checkTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new IOException("cannot write " + target + ": not a file path");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + abs + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + abs + ": it is a directory");
        }
        return abs;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The original failure matters more than a leftover hidden file, which the next write removes.
        }
    }

    /** Lets a writer close "its" stream (a ZipOutputStream does) without closing the channel before the force. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
