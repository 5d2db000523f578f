package org.dgrab.lab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.dgrab.examples.quickstart.FashionMnistSample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MNIST-format IDX files (Fashion-MNIST as shipped by Debian's {@code dataset-fashion-mnist} package in
 * {@code /usr/share/datasets/fashion-mnist}), gzipped or not, into a DataSet with features scaled to {@code [0, 1]}
 * as {@code [N, 784]} and one-hot labels {@code [N, 10]}. Also reads the small sample bundled with dgrab-examples
 * ({@link #loadSample}, through the examples' {@link FashionMnistSample}), used by {@code ./dgrab demo}.
 */
public final class FashionMnist {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Classes. */
    public static final int CLASSES = 10;
    /** Image height and width. */
    public static final int SIDE = 28;
    /** Class names, in label order. */
    public static final String[] LABELS = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};
    /** The four files of the data set, without the optional {@code .gz}. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** Where Zalando Research publishes the files. */
    public static final String SOURCE_URL = "https://github.com/zalandoresearch/fashion-mnist";
    /**
     * Classpath folder of the bundled sample (gzipped IDX files with the standard names), made by
     * {@code ./dgrab make-sample}; see the README there.
     */
    public static final String SAMPLE_RESOURCE = FashionMnistSample.RESOURCE;

    private FashionMnist() {
    }

    /**
     * Lists the files of the data set that a directory lacks (a file counts as present gzipped or plain).
     *
     * @param dir directory
     * @return missing file names, each as {@code name[.gz]}; empty if complete
     */
    public static List<String> missing(Path dir) {
        List<String> out = new ArrayList<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f + ".gz")) && !Files.isRegularFile(dir.resolve(f))) {
                out.add(f + "[.gz]");
            }
        }
        return out;
    }

    /**
     * Checks that a directory holds all four files.
     *
     * @param dir directory
     * @throws MissingDataException naming the directory, the missing files and where to get them
     */
    public static void requireFiles(Path dir) throws MissingDataException {
        List<String> missing = missing(dir);
        if (missing.isEmpty()) {
            return;
        }
        throw MissingDataException.forFiles("Fashion-MNIST", dir, missing, "",
                "  On Debian/Ubuntu: apt-get install dataset-fashion-mnist (puts the files in " + DEFAULT_DIR + ")\n"
                + "  Or download the four .gz files from " + SOURCE_URL + " (folder data/fashion) into one directory "
                + "and pass it with --data-dir DIR");
    }

    /**
     * Loads the training or test split from a directory holding the four standard files
     * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}).
     *
     * @param dir   directory
     * @param train true for the 60,000 training images, false for the 10,000 test images
     * @param limit at most this many examples (the first ones), or {@code <= 0} for all
     * @return features {@code [N, 784]} in {@code [0, 1]} and one-hot labels
     * @throws IOException if files are missing (a {@link MissingDataException} that says where to get them) or
     *                     malformed
     */
    public static DataSet load(Path dir, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            requireFiles(dir);
        }
        return read(images, labels, limit);
    }

    /**
     * Loads a split from a directory as {@link #load}, or from the bundled sample as {@link #loadSample} when no
     * directory is given: what the commands' optional {@code --data-dir} means.
     *
     * @param dir   directory, or null for the bundled sample
     * @param train true for the training images, false for the test images
     * @param limit at most this many examples, or {@code <= 0} for all
     * @return the data, as {@link #load}
     * @throws IOException as {@link #load} or {@link #loadSample}
     */
    public static DataSet loadDirOrSample(Path dir, boolean train, int limit) throws IOException {
        return dir == null ? loadSample(train, limit) : load(dir, train, limit);
    }

    /**
     * Loads a split of the sample bundled with dgrab-examples ({@link #SAMPLE_RESOURCE}): a few thousand
     * Fashion-MNIST images, for a demo that needs no download.
     *
     * @param train true for the sample's training images, false for its test images
     * @param limit at most this many examples, or {@code <= 0} for all
     * @return the data, as {@link #load}
     * @throws IOException if the resources are missing from the classpath or malformed
     */
    public static DataSet loadSample(boolean train, int limit) throws IOException {
        // The examples' reader of the sample: one reader, so the demo and the examples see the same data.
        return FashionMnistSample.load(train, limit);
    }

    /**
     * Opens one file of a directory holding the data set, decompressed.
     *
     * @param dir  the directory
     * @param name the file's standard name without {@code .gz}, e.g. {@code train-images-idx3-ubyte}
     * @return the stream of {@code name.gz} or {@code name}
     * @throws MissingDataException if neither exists
     * @throws IOException          if both exist, or it cannot be opened
     */
    public static InputStream openFile(Path dir, String name) throws IOException {
        Path p = find(dir, name);
        if (p == null) {
            throw new MissingDataException("Fashion-MNIST file " + name + "[.gz] not found in " + dir, dir,
                    List.of(name + "[.gz]"));
        }
        return open(p);
    }

    /**
     * Opens one file of the bundled sample ({@link #SAMPLE_RESOURCE}), decompressed.
     *
     * @param name the file's standard name without {@code .gz}, e.g. {@code t10k-labels-idx1-ubyte}
     * @return the stream
     * @throws IOException if the resource is missing
     */
    public static InputStream openSample(String name) throws IOException {
        return new GZIPInputStream(resource(SAMPLE_RESOURCE + name + ".gz"), 1 << 16);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FashionMnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is not on the classpath (dgrab-examples is incompletely built; "
                    + "rebuild it with mvn -DskipTests package -pl dgrab-examples -am)");
        }
        return new BufferedInputStream(in, 1 << 16);
    }

    /**
     * @return the file {@code name.gz} or {@code name} in {@code dir}, or null if neither exists
     * @throws IOException if both exist: they may be different versions, and taking one silently could pair images
     *                     of one copy with labels of the other
     */
    private static Path find(Path dir, String name) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        Path raw = dir.resolve(name);
        boolean hasGz = Files.isRegularFile(gz);
        boolean hasRaw = Files.isRegularFile(raw);
        if (hasGz && hasRaw) {
            throw new IOException("both " + raw + " and " + gz + " exist: keep one of them (dgrab will not guess which "
                    + "copy is the right one, nor mix raw and compressed files)");
        }
        return hasGz ? gz : hasRaw ? raw : null;
    }

    /**
     * Opens a file for reading, decompressing it if its name ends in {@code .gz}.
     *
     * @param p the file
     * @return the stream
     * @throws IOException if it cannot be opened
     */
    public static InputStream open(Path p) throws IOException {
        // What a failed download leaves; GZIPInputStream would only say "EOFException: null".
        if (Files.size(p) == 0) {
            throw new IOException(p + " is empty (0 bytes); download it again from " + SOURCE_URL);
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        try {
            return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            in.close();
            throw new IOException(p + ": not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads one images file and one labels file.
     *
     * @param imagesFile IDX3 images
     * @param labelsFile IDX1 labels
     * @param limit      at most this many examples, or {@code <= 0} for all
     * @return the data
     * @throws IOException on malformed files (the message names the file and what was wrong)
     */
    public static DataSet read(Path imagesFile, Path labelsFile, int limit) throws IOException {
        try (InputStream im = open(imagesFile); InputStream lb = open(labelsFile)) {
            return read(im, imagesFile.toString(), lb, labelsFile.toString(), limit);
        }
    }

    /**
     * Reads images and labels from (decompressed) IDX streams.
     *
     * @param images     IDX3 images; not closed
     * @param imagesName its name, for messages
     * @param labels     IDX1 labels; not closed
     * @param labelsName its name, for messages
     * @param limit      at most this many examples, or {@code <= 0} for all
     * @return features {@code [N, rows*cols]} in {@code [0, 1]} and one-hot labels {@code [N, 10]}
     * @throws IOException on malformed data
     */
    public static DataSet read(InputStream images, String imagesName, InputStream labels, String labelsName, int limit)
            throws IOException {
        Idx.Images im = Idx.readImages(images, imagesName, limit);
        Idx.Labels lb = Idx.readLabels(labels, labelsName, limit);
        if (im.rows() != SIDE || im.cols() != SIDE) {
            throw new IOException(imagesName + ": images are " + im.rows() + "x" + im.cols() + ", expected " + SIDE
                    + "x" + SIDE + " (Fashion-MNIST)");
        }
        if (im.total() != lb.total()) {
            throw new IOException(imagesName + " has " + im.total() + " images but " + labelsName + " has "
                    + lb.total() + " labels");
        }
        int count = im.count();
        int pixels = im.rows() * im.cols();
        float[] x = new float[count * pixels];
        float[] y = new float[count * CLASSES];
        byte[] px = im.pixels();
        for (int j = 0; j < x.length; j++) {
            x[j] = (px[j] & 0xFF) / 255f;
        }
        for (int i = 0; i < count; i++) {
            int label = lb.labels()[i] & 0xFF;
            if (label >= CLASSES) {
                throw new IOException(labelsName + ": label " + label + " of example " + i + " is outside [0, "
                        + CLASSES + ")");
            }
            y[i * CLASSES + label] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {count, pixels}, DataType.FLOAT),
                Nd4j.create(y, new long[] {count, CLASSES}, DataType.FLOAT));
    }
}
