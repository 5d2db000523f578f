package org.dgrab.lab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small data files in the official formats for tests: CIFAR-10's binary records and Fashion-MNIST's IDX
 * files. Pixel values are a function of (example, position), so that tests can check where every byte lands.
 */
public final class TestFiles {
    private TestFiles() {
    }

    /**
     * The pixel byte of a generated CIFAR-10 record.
     *
     * @param example example index over all files (training files first, counted from 0; the test file from 0)
     * @param channel 0 red, 1 green, 2 blue
     * @param row     0..31
     * @param col     0..31
     * @return the unsigned byte value
     */
    public static int cifarPixel(int example, int channel, int row, int col) {
        return (example * 7 + channel * 85 + row * 3 + col) & 0xFF;
    }

    /**
     * The label of a generated example.
     *
     * @param example example index
     * @return label in 0..9
     */
    public static int label(int example) {
        return (example * 3 + 1) % 10;
    }

    /**
     * Writes a complete CIFAR-10 binary folder: five training files and the test file.
     *
     * @param dir          folder (created)
     * @param perTrainFile records per training file
     * @param testRecords  records in the test file
     * @throws IOException on write failure
     */
    public static void writeCifar(Path dir, int perTrainFile, int testRecords) throws IOException {
        Files.createDirectories(dir);
        int example = 0;
        for (String f : Cifar10Binary.TRAIN_FILES) {
            Files.write(dir.resolve(f), cifarRecords(example, perTrainFile));
            example += perTrainFile;
        }
        Files.write(dir.resolve(Cifar10Binary.TEST_FILE), cifarRecords(0, testRecords));
    }

    /**
     * CIFAR-10 records of examples {@code first .. first+count-1}.
     *
     * @param first first example index
     * @param count records
     * @return the bytes
     */
    public static byte[] cifarRecords(int first, int count) {
        byte[] b = new byte[count * Cifar10Binary.RECORD];
        for (int i = 0; i < count; i++) {
            int ex = first + i;
            int off = i * Cifar10Binary.RECORD;
            b[off] = (byte) label(ex);
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 32; r++) {
                    for (int col = 0; col < 32; col++) {
                        b[off + 1 + c * 1024 + r * 32 + col] = (byte) cifarPixel(ex, c, r, col);
                    }
                }
            }
        }
        return b;
    }

    /**
     * The pixel byte of a generated Fashion-MNIST image.
     *
     * @param example example index
     * @param pixel   pixel index, row-major
     * @return the unsigned byte value
     */
    public static int idxPixel(int example, int pixel) {
        return (example * 11 + pixel * 5) & 0xFF;
    }

    /**
     * Writes the four Fashion-MNIST files.
     *
     * @param dir   folder (created)
     * @param train training images
     * @param test  test images
     * @param gzip  true for {@code .gz} files
     * @throws IOException on write failure
     */
    public static void writeFashion(Path dir, int train, int test, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        writeIdx(dir, "train", train, gzip);
        writeIdx(dir, "t10k", test, gzip);
    }

    private static void writeIdx(Path dir, String split, int n, boolean gzip) throws IOException {
        int side = FashionMnist.SIDE;
        byte[] px = new byte[n * side * side];
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < side * side; p++) {
                px[i * side * side + p] = (byte) idxPixel(i, p);
            }
            lb[i] = (byte) label(i);
        }
        String ext = gzip ? ".gz" : "";
        try (OutputStream out = open(dir.resolve(split + "-images-idx3-ubyte" + ext), gzip)) {
            Idx.writeImages(out, side, side, px);
        }
        try (OutputStream out = open(dir.resolve(split + "-labels-idx1-ubyte" + ext), gzip)) {
            Idx.writeLabels(out, lb);
        }
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(out) : out;
    }

    /**
     * Writes a small {@code label<TAB>text} file for {@code dgrab text}: {@code perClass} sentences for each label,
     * interleaved, each of 6-10 words drawn from words shared by all labels and words of its own label, so that the
     * labels can be told apart from the words but not from any single one of them. Deterministic in {@code seed}.
     *
     * @param file     the file to write
     * @param labels   the labels
     * @param perClass sentences per label
     * @param seed     seed of the word choices
     * @throws IOException if the file cannot be written
     */
    public static void writeSentences(Path file, List<String> labels, int perClass, long seed) throws IOException {
        String[] shared = {"the", "a", "she", "he", "was", "had", "not", "of", "and", "to", "in", "her"};
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < labels.size(); c++) {
                int words = 6 + r.nextInt(5);
                StringBuilder s = new StringBuilder();
                for (int w = 0; w < words; w++) {
                    String word = r.nextInt(3) == 0 ? labels.get(c) + "word" + r.nextInt(8) : shared[r.nextInt(shared.length)];
                    s.append(w == 0 ? "" : " ").append(word);
                }
                out.append(labels.get(c)).append('\t').append(s).append(".\n");
            }
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}
