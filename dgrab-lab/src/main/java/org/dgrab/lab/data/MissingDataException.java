package org.dgrab.lab.data;

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
     * The exception for files missing from a directory, with the message every loader uses: "DATASET not found:
     * in DIR" (or "DIR does not exist"), then the missing files, then how to get them.
     *
     * @param dataset      what was looked for, e.g. "Fashion-MNIST"
     * @param dir          the directory searched
     * @param missing      names of the missing files
     * @param alternatives appended to the list of missing files (e.g. other accepted names), or ""
     * @param howToGet     the rest of the message, one point per line, each line indented by two spaces
     * @return the exception
     */
    static MissingDataException forFiles(String dataset, Path dir, List<String> missing, String alternatives,
                                         String howToGet) {
        return new MissingDataException(dataset + " not found: " + where(dir) + "\n"
                + "  missing: " + String.join(", ", missing) + alternatives + "\n"
                + howToGet, dir, missing);
    }

    /**
     * Says where the files were looked for, for the first line of a message.
     *
     * @param dir the directory searched
     * @return "in DIR" if the directory exists, else "DIR does not exist"
     */
    private static String where(Path dir) {
        return java.nio.file.Files.isDirectory(dir) ? "in " + dir.toAbsolutePath() : dir.toAbsolutePath() + " does not exist";
    }
}
