package org.dgrab.lab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the official binary version of CIFAR-10 ({@code data_batch_1.bin} ... {@code data_batch_5.bin},
 * {@code test_batch.bin}): records of one label byte followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
 * row-major 32x32). Features come out as {@code [N, 3, 32, 32]} scaled to {@code [0, 1]} (channel 0 red, 1 green,
 * 2 blue), labels one-hot {@code [N, 10]} in the official class order ({@link #LABELS}).
 */
public final class Cifar10Binary {
    /** Bytes per record. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** Classes. */
    public static final int CLASSES = 10;
    /** Class names, in label order ({@code batches.meta.txt} of the official archive). */
    public static final List<String> LABELS = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    /** Training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    /** Test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The official archive of the binary version; it unpacks to a folder {@code cifar-10-batches-bin}. */
    public static final String ARCHIVE_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** Image side. */
    public static final int SIDE = 32;
    /** Colour channels. */
    public static final int CHANNELS = 3;
    /** Records in each official batch file. */
    public static final int OFFICIAL_RECORDS = 10_000;

    private Cifar10Binary() {
    }

    /**
     * Lists the files a split needs that are missing from a directory.
     *
     * @param dir directory
     * @return missing file names (empty if complete)
     */
    public static List<String> missing(Path dir) {
        List<String> out = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                out.add(f);
            }
        }
        if (!Files.isRegularFile(dir.resolve(TEST_FILE))) {
            out.add(TEST_FILE);
        }
        return out;
    }

    /**
     * Checks that a directory holds every file of the binary version.
     *
     * @param dir directory
     * @throws MissingDataException naming the directory, the missing files and how to get them
     */
    public static void requireFiles(Path dir) throws MissingDataException {
        List<String> missing = missing(dir);
        if (missing.isEmpty()) {
            return;
        }
        throw MissingDataException.forFiles("CIFAR-10 (binary version)", dir, missing, "",
                "  Download " + ARCHIVE_URL + " (162 MB), unpack it (tar xzf cifar-10-binary.tar.gz) and put "
                + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE + " into " + dir.toAbsolutePath()
                + " (or pass --data-dir path/to/cifar-10-batches-bin)");
    }

    /**
     * Loads a split.
     *
     * @param dir   directory with the {@code .bin} files (the {@code cifar-10-batches-bin} folder of the official
     *              archive)
     * @param train training files (50,000 images) or the test file (10,000)
     * @param limit at most this many examples, or {@code <= 0} for all
     * @return the data
     * @throws IOException if a file is missing, empty, not a whole number of records, or (training files) holds a
     *                     different number of records than the first training file
     */
    public static DataSet load(Path dir, boolean train, int limit) throws IOException {
        List<Path> files = new ArrayList<>();
        long firstSize = -1;
        for (String f : train ? TRAIN_FILES : List.of(TEST_FILE)) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                requireFiles(dir);
                throw new MissingDataException("CIFAR-10 file " + p + " not found", dir, List.of(f));
            }
            long size = Files.size(p);
            // An empty file is what a failed download leaves; read as zero records it would quietly drop a fifth of
            // the training data (or leave no test data at all).
            if (size == 0) {
                throw new IOException(p + " is empty (0 bytes); a CIFAR-10 batch file holds " + OFFICIAL_RECORDS
                        + " records of " + RECORD + " bytes (" + (long) OFFICIAL_RECORDS * RECORD
                        + " bytes): download it again from " + ARCHIVE_URL);
            }
            if (size % RECORD != 0) {
                throw new IOException(p + " has " + size + " bytes, not a multiple of the " + RECORD + "-byte record size");
            }
            // The official training files are equally long; one shorter than the others is a partial copy.
            if (firstSize >= 0 && size != firstSize) {
                throw new IOException(p + " holds " + size / RECORD + " records but " + files.get(0) + " holds "
                        + firstSize / RECORD + ": the training files must be equally long (the official ones hold "
                        + OFFICIAL_RECORDS + " each); one of them is incomplete");
            }
            if (firstSize < 0) {
                firstSize = size;
            }
            files.add(p);
        }
        long total = 0;
        for (Path p : files) {
            total += Files.size(p) / RECORD;
        }
        int n = (int) (limit > 0 ? Math.min(limit, total) : total);
        float[] x = new float[n * (RECORD - 1)];
        float[] y = new float[n * CLASSES];
        byte[] rec = new byte[RECORD];
        int i = 0;
        for (Path p : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                while (i < n && in.readNBytes(rec, 0, RECORD) == RECORD) {
                    int label = rec[0] & 0xFF;
                    if (label >= CLASSES) {
                        throw new IOException(p + ": label " + label + " outside [0, " + CLASSES + ")");
                    }
                    y[i * CLASSES + label] = 1f;
                    int off = i * (RECORD - 1);
                    for (int j = 1; j < RECORD; j++) {
                        x[off + j - 1] = (rec[j] & 0xFF) / 255f;
                    }
                    i++;
                }
            }
            if (i >= n) {
                break;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 3, 32, 32}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, CLASSES}, DataType.FLOAT));
    }
}
