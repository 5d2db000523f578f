package org.dgrab.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MNIST-format IDX files (Fashion-MNIST as shipped by Debian's {@code dataset-fashion-mnist} package in
 * {@code /usr/share/datasets/fashion-mnist}), gzipped or not, into a DataSet with features scaled to {@code [0, 1]}
 * as {@code [N, 784]} and one-hot labels {@code [N, 10]}.
 */
public final class FashionMnist {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Classes. */
    public static final int CLASSES = 10;
    /** Class names, in label order. */
    public static final String[] LABELS = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private FashionMnist() {
    }

    /**
     * Loads the training or test split from a directory holding the four standard files
     * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}).
     *
     * @param dir   directory
     * @param train true for the 60,000 training images, false for the 10,000 test images
     * @param limit at most this many examples (the first ones), or {@code <= 0} for all
     * @return features {@code [N, 784]} in {@code [0, 1]} and one-hot labels
     * @throws IOException if files are missing (the message says where to get them) or malformed
     */
    public static DataSet load(Path dir, boolean train, int limit) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        return read(images, labels, limit);
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String n : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
                + "; on Debian install it with 'apt-get install dataset-fashion-mnist' (files go to " + DEFAULT_DIR
                + "), or point --data-dir at a folder with the four IDX files");
    }

    private static InputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
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
        try (DataInputStream im = new DataInputStream(open(imagesFile)); DataInputStream lb = new DataInputStream(open(labelsFile))) {
            int magic = im.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(imagesFile + ": not an IDX3 image file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = im.readInt();
            int rows = im.readInt();
            int cols = im.readInt();
            int lmagic = lb.readInt();
            if (lmagic != LABELS_MAGIC) {
                throw new IOException(labelsFile + ": not an IDX1 label file (magic " + Integer.toHexString(lmagic) + ")");
            }
            int ln = lb.readInt();
            if (ln != n) {
                throw new IOException(imagesFile + " has " + n + " images but " + labelsFile + " has " + ln + " labels");
            }
            int count = limit > 0 ? Math.min(limit, n) : n;
            int pixels = rows * cols;
            float[] x = new float[count * pixels];
            float[] y = new float[count * CLASSES];
            byte[] buf = new byte[pixels];
            for (int i = 0; i < count; i++) {
                im.readFully(buf);
                for (int j = 0; j < pixels; j++) {
                    x[i * pixels + j] = (buf[j] & 0xFF) / 255f;
                }
                int label = lb.readUnsignedByte();
                if (label >= CLASSES) {
                    throw new IOException(labelsFile + ": label " + label + " of example " + i + " is outside [0, " + CLASSES + ")");
                }
                y[i * CLASSES + label] = 1f;
            }
            INDArray features = Nd4j.create(x, new long[] {count, pixels}, DataType.FLOAT);
            INDArray labels = Nd4j.create(y, new long[] {count, CLASSES}, DataType.FLOAT);
            return new DataSet(features, labels);
        }
    }
}
