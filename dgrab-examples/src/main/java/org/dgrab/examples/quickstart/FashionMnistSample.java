package org.dgrab.examples.quickstart;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the small Fashion-MNIST sample bundled with dgrab-examples (classpath folder {@value #RESOURCE}: the four
 * standard IDX files, gzipped, see the README there), so that the examples run on a fresh offline machine. DL4J's own
 * {@code MnistManager} reads IDX files only from disk and uncompressed, hence this reader.
 */
public final class FashionMnistSample {
    /** Classpath folder of the sample. */
    public static final String RESOURCE = "/fashion-mnist-sample/";
    /** Classes. */
    public static final int CLASSES = 10;

    private FashionMnistSample() {
    }

    /**
     * Loads one split of the sample.
     *
     * @param train true for the sample's training images, false for its test images
     * @param limit at most this many examples (the first ones), or {@code <= 0} for all
     * @return features {@code [N, 784]} scaled to {@code [0, 1]} and one-hot labels {@code [N, 10]}
     * @throws IOException if the resources are missing or are not IDX files
     */
    public static DataSet load(boolean train, int limit) throws IOException {
        String prefix = RESOURCE + (train ? "train" : "t10k");
        try (DataInputStream images = open(prefix + "-images-idx3-ubyte.gz");
             DataInputStream labels = open(prefix + "-labels-idx1-ubyte.gz")) {
            // IDX header: magic number (unsigned bytes, 3 or 1 dimensions), the dimensions, then the data.
            int n = images.readInt() == 0x803 && labels.readInt() == 0x801 ? images.readInt() : -1;
            if (n < 0 || labels.readInt() != n) {
                throw new IOException(prefix + ": not a matching pair of IDX image and label files");
            }
            int pixels = images.readInt() * images.readInt();
            int count = limit > 0 ? Math.min(limit, n) : n;
            byte[] px = new byte[count * pixels];
            byte[] lb = new byte[count];
            images.readFully(px);
            labels.readFully(lb);
            float[] x = new float[px.length];
            float[] y = new float[count * CLASSES];
            for (int j = 0; j < x.length; j++) {
                x[j] = (px[j] & 0xFF) / 255f;
            }
            for (int i = 0; i < count; i++) {
                y[i * CLASSES + lb[i]] = 1f;
            }
            return new DataSet(Nd4j.create(x, new long[] {count, pixels}, DataType.FLOAT),
                    Nd4j.create(y, new long[] {count, CLASSES}, DataType.FLOAT));
        }
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream in = FashionMnistSample.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is not on the classpath (dgrab-examples is incompletely "
                    + "built; rebuild it with mvn -DskipTests package -pl dgrab-examples -am)");
        }
        return new DataInputStream(new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16));
    }
}
