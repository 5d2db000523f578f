package org.dgrab.core.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The versioned binary checkpoint format of ordering state. A checkpoint starts with a magic number and a format
 * version; readers refuse other magics and newer versions with a message saying which was found.
 *
 * <p>All numbers are big-endian ({@link DataOutput}). Vectors are written as doubles, which hold every ND4J float
 * type exactly, so a restored strategy continues bit-for-bit.
 */
public final class StateFormat {
    /** "DGRB". */
    public static final int MAGIC = 0x44475242;
    /** Current format version. */
    public static final int VERSION = 1;

    private StateFormat() {
    }

    /**
     * Writes magic and version.
     *
     * @param out sink
     * @throws IOException on failure
     */
    public static void writeHeader(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
    }

    /**
     * Reads and checks magic and version.
     *
     * @param in source
     * @return the version found
     * @throws IOException if this is not a dgrab checkpoint or its version is newer than this code
     */
    public static int readHeader(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a dgrab ordering checkpoint: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException("checkpoint format version " + version + " is not supported (this code reads 1.." + VERSION + ")");
        }
        return version;
    }

    /**
     * Writes a length-prefixed int array.
     *
     * @param out sink
     * @param a   array
     * @throws IOException on failure
     */
    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    /**
     * Reads a length-prefixed int array.
     *
     * @param in source
     * @return the array
     * @throws IOException on failure or a negative length
     */
    public static int[] readInts(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt checkpoint: negative array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /**
     * Reads an int array and checks it equals an expected one.
     *
     * @param in       source
     * @param expected expected values
     * @param what     name for the error message
     * @throws IOException on a mismatch
     */
    public static void expectInts(DataInput in, int[] expected, String what) throws IOException {
        int[] got = readInts(in);
        if (!Arrays.equals(got, expected)) {
            throw new IOException("checkpoint has " + what + " " + Arrays.toString(got) + ", this strategy has "
                    + Arrays.toString(expected));
        }
    }
}
