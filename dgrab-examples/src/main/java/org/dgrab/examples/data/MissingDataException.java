package org.dgrab.examples.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A data set's files are not where they were looked for. The message is meant for the user as it is: it names
 * the directory, the missing files and how to get them, one point per line.
 */
public final class MissingDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path dir;
    private final List<String> missing;

    /**
     * @param message what is missing and how to get it (several lines allowed)
     * @param dir     where the files were looked for
     * @param missing names of the missing files
     */
    public MissingDataException(String message, Path dir, List<String> missing) {
        super(message);
        this.dir = dir;
        this.missing = List.copyOf(missing);
    }

    /**
     * @param message what is missing and how to get it
     * @param dir     where the files were looked for
     * @param missing names of the missing files
     * @param cause   why they could not be obtained (e.g. a failed download)
     */
    public MissingDataException(String message, Path dir, List<String> missing, Throwable cause) {
        super(message, cause);
        this.dir = dir;
        this.missing = List.copyOf(missing);
    }

    /** @return the directory that was searched */
    public Path dir() {
        return dir;
    }

    /** @return the missing file names */
    public List<String> missing() {
        return missing;
    }

    /**
     * Says where the files were looked for, for the first line of a message.
     *
     * @param dir the directory searched
     * @return "in DIR" if the directory exists, else "DIR does not exist"
     */
    static String where(Path dir) {
        return java.nio.file.Files.isDirectory(dir) ? "in " + dir.toAbsolutePath() : dir.toAbsolutePath() + " does not exist";
    }
}
