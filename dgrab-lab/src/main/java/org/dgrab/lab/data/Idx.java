package org.dgrab.lab.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST, raw bytes in and out: an image file is the big-endian ints
 * {@code 0x00000803, count, rows, cols} followed by {@code count * rows * cols} unsigned pixel bytes, row-major; a
 * label file is {@code 0x00000801, count} followed by {@code count} label bytes. Compression is the caller's
 * business (wrap the streams in {@code GZIPInputStream}/{@code GZIPOutputStream}).
 */
public final class Idx {
    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /**
     * The first images of an image file.
     *
     * @param total  images the file holds (its header count)
     * @param rows   image height
     * @param cols   image width
     * @param pixels {@code count() * rows * cols} bytes, image after image, row-major
     */
    public record Images(int total, int rows, int cols, byte[] pixels) {
        /** @return images read (at most {@link #total()}) */
        public int count() {
            return pixels.length / (rows * cols);
        }
    }

    /**
     * The first labels of a label file.
     *
     * @param total  labels the file holds (its header count)
     * @param labels the labels read
     */
    public record Labels(int total, byte[] labels) {
    }

    /**
     * Reads the header and the first images of an image file.
     *
     * @param in    the (decompressed) stream, positioned at the start; not closed
     * @param name  the file's name, for error messages
     * @param limit at most this many images, or {@code <= 0} for all
     * @return the images
     * @throws IOException if it is not an IDX image file or ends early
     */
    public static Images readImages(InputStream in, String name, int limit) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            int magic = d.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(name + ": not an IDX image file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x" + Integer.toHexString(IMAGES_MAGIC) + ")");
            }
            int n = d.readInt();
            int rows = d.readInt();
            int cols = d.readInt();
            if (n < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 24) {
                throw new IOException(name + ": implausible IDX header: " + n + " images of " + rows + "x" + cols);
            }
            int count = limit > 0 ? Math.min(limit, n) : n;
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": " + count + " images of " + rows + "x" + cols
                        + " do not fit in one array; read fewer (a limit)");
            }
            byte[] pixels = new byte[(int) bytes];
            d.readFully(pixels);
            if (count == n) {
                requireEnd(d, name, n + " images of " + rows + "x" + cols);
            }
            return new Images(n, rows, cols, pixels);
        } catch (EOFException e) {
            throw new IOException(name + ": file ends early (truncated or not an IDX file)", e);
        }
    }

    /**
     * Reads the header and the first labels of a label file.
     *
     * @param in    the (decompressed) stream, positioned at the start; not closed
     * @param name  the file's name, for error messages
     * @param limit at most this many labels, or {@code <= 0} for all
     * @return the labels
     * @throws IOException if it is not an IDX label file or ends early
     */
    public static Labels readLabels(InputStream in, String name, int limit) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            int magic = d.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(name + ": not an IDX label file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x" + Integer.toHexString(LABELS_MAGIC) + ")");
            }
            int n = d.readInt();
            if (n < 0) {
                throw new IOException(name + ": implausible IDX header: " + n + " labels");
            }
            byte[] labels = new byte[limit > 0 ? Math.min(limit, n) : n];
            d.readFully(labels);
            if (labels.length == n) {
                requireEnd(d, name, n + " labels");
            }
            return new Labels(n, labels);
        } catch (EOFException e) {
            throw new IOException(name + ": file ends early (truncated or not an IDX file)", e);
        }
    }

    /**
     * Refuses bytes after what the header announced: a header whose count or sizes are wrong (e.g. 14x56 images in a
     * file of 28x28 ones, or half the count) would otherwise read as a valid, different data set.
     */
    private static void requireEnd(InputStream in, String name, String announced) throws IOException {
        if (in.read() != -1) {
            throw new IOException(name + ": bytes follow the " + announced + " its header announces (wrong header, or "
                    + "several files concatenated)");
        }
    }

    /**
     * Writes an image file.
     *
     * @param out    sink; flushed, not closed
     * @param rows   image height
     * @param cols   image width
     * @param pixels whole images, row-major
     * @throws IOException on write failure
     */
    public static void writeImages(OutputStream out, int rows, int cols, byte[] pixels) throws IOException {
        if (rows <= 0 || cols <= 0 || pixels.length % (rows * cols) != 0) {
            throw new IllegalArgumentException(pixels.length + " bytes are not whole " + rows + "x" + cols + " images");
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(IMAGES_MAGIC);
        d.writeInt(pixels.length / (rows * cols));
        d.writeInt(rows);
        d.writeInt(cols);
        d.write(pixels);
        d.flush();
    }

    /**
     * Writes a label file.
     *
     * @param out    sink; flushed, not closed
     * @param labels the labels
     * @throws IOException on write failure
     */
    public static void writeLabels(OutputStream out, byte[] labels) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(LABELS_MAGIC);
        d.writeInt(labels.length);
        d.write(labels);
        d.flush();
    }
}
