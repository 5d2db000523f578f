package org.dgrab.core.internal.state;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;

/**
 * Reads the fields of a checkpoint with every check a corrupt or hostile file needs: each read names what it reads,
 * every length or count is bounded (by the value the reader expects, or by the bytes that remain) before anything
 * is allocated, and every failure is an {@link IOException} saying what is wrong and at which byte.
 *
 * <p>Read from a verified payload ({@link #StateReader(byte[], int)}), the reader knows how many bytes remain; read
 * from a plain {@link DataInput} ({@link #of(DataInput)}) it does not, and only the caller's expected sizes bound
 * allocations. Call order: the {@code read} methods in the order the writer wrote, then {@link #expectEnd()}. Not
 * thread-safe.
 */
public final class StateReader {
    private static final long UNKNOWN = -1;

    private final DataInput in;
    private final long base;
    private final long length;
    private long pos;

    /**
     * Reads a payload held in memory.
     *
     * @param payload the bytes (not copied; not modified)
     * @param base    offset of the payload's first byte in the checkpoint, so that messages give file offsets
     */
    public StateReader(byte[] payload, long base) {
        this(new DataInputStream(new ByteArrayInputStream(payload)), base, payload.length);
    }

    private StateReader(DataInput in, long base, long length) {
        this.in = in;
        this.base = base;
        this.length = length;
    }

    /**
     * Reads from a stream of unknown length (offsets in messages count from where the reader started).
     *
     * @param in source
     * @return a reader
     */
    public static StateReader of(DataInput in) {
        return new StateReader(in, 0, UNKNOWN);
    }

    /** @return the offset of the next byte to read, counted from the start of the checkpoint */
    public long position() {
        return base + pos;
    }

    /** @return bytes left to read, or {@link Long#MAX_VALUE} when the length is unknown */
    public long remaining() {
        return length == UNKNOWN ? Long.MAX_VALUE : length - pos;
    }

    /**
     * @param what description of the problem, e.g. "worker 2's order is not a permutation of 7 units"
     * @return an exception saying that the checkpoint is corrupt and at which byte
     */
    public IOException corrupt(String what) {
        return new IOException("corrupt checkpoint at byte " + position() + ": " + what);
    }

    private void need(long bytes, String what) throws IOException {
        if (bytes > remaining()) {
            throw new IOException("corrupt checkpoint: " + what + " at byte " + position() + " needs " + bytes
                    + " bytes, but the state ends at byte " + (base + length));
        }
    }

    private IOException truncated(String what, EOFException e) {
        IOException t = new IOException("checkpoint truncated: the stream ends inside " + what + " at byte " + position());
        t.initCause(e);
        return t;
    }

    /**
     * @param what what the value is, for messages
     * @return the next byte
     * @throws IOException if it is missing
     */
    public byte readByte(String what) throws IOException {
        return read(1, what, in::readByte);
    }

    /** A read of a fixed number of bytes from {@link #in}. */
    private interface Field<T> {
        T read() throws IOException;
    }

    private <T> T read(long bytes, String what, Field<T> field) throws IOException {
        need(bytes, what);
        try {
            T v = field.read();
            pos += bytes;
            return v;
        } catch (EOFException e) {
            throw truncated(what, e);
        }
    }

    /**
     * @param what what the value is
     * @return the boolean, written as byte 0 or 1
     * @throws IOException if missing or another byte value
     */
    public boolean readBoolean(String what) throws IOException {
        long at = position();
        byte b = readByte(what);
        if (b != 0 && b != 1) {
            throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " is the byte " + b
                    + ", expected 0 or 1");
        }
        return b == 1;
    }

    /**
     * @param what what the value is
     * @return the next big-endian int
     * @throws IOException if missing
     */
    public int readInt(String what) throws IOException {
        return read(4, what, in::readInt);
    }

    /**
     * Reads an int that must lie in a range.
     *
     * @param what what the value is
     * @param min  smallest valid value
     * @param max  largest valid value
     * @return the value
     * @throws IOException if missing or out of range
     */
    public int readInt(String what, int min, int max) throws IOException {
        long at = position();
        int v = readInt(what);
        if (v < min || v > max) {
            throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " is " + v + ", expected a value in ["
                    + min + ", " + max + "]");
        }
        return v;
    }

    /**
     * @param what what the value is
     * @return the next big-endian long
     * @throws IOException if missing
     */
    public long readLong(String what) throws IOException {
        return read(8, what, in::readLong);
    }

    /**
     * Reads a counter, which must not be negative.
     *
     * @param what what the counter counts
     * @return the value
     * @throws IOException if missing or negative
     */
    public long readCount(String what) throws IOException {
        long at = position();
        long v = readLong(what);
        if (v < 0) {
            throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " is " + v + ", expected >= 0");
        }
        return v;
    }

    /**
     * @param what what the value is
     * @return the next big-endian double
     * @throws IOException if missing
     */
    public double readDouble(String what) throws IOException {
        return Double.longBitsToDouble(readLong(what));
    }

    /**
     * Reads a string written by {@link java.io.DataOutput#writeUTF}.
     *
     * @param what what the string is
     * @return the string
     * @throws IOException if missing or not valid modified UTF-8
     */
    public String readUTF(String what) throws IOException {
        long at = position();
        int len = readShortLength(what);
        byte[] b = new byte[2 + len];
        b[0] = (byte) (len >>> 8);
        b[1] = (byte) len;
        read(len, what, () -> {
            in.readFully(b, 2, len);
            return b;
        });
        try {
            return new DataInputStream(new ByteArrayInputStream(b)).readUTF();
        } catch (UTFDataFormatException e) {
            throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " is not valid UTF-8", e);
        }
    }

    private int readShortLength(String what) throws IOException {
        int hi = readByte(what) & 0xFF;
        int lo = readByte(what) & 0xFF;
        return (hi << 8) | lo;
    }

    /**
     * Reads {@code count} raw bytes.
     *
     * @param what  what the bytes are
     * @param count how many, known to the caller
     * @return the bytes
     * @throws IOException if fewer remain
     */
    public byte[] readBytes(String what, int count) throws IOException {
        need(count, what);
        byte[] b = new byte[count];
        return read(count, what, () -> {
            in.readFully(b);
            return b;
        });
    }

    /**
     * Reads a length-prefixed int array (as {@link StateFormat#writeInts} writes it) whose length the caller knows.
     *
     * @param what           what the array is
     * @param expectedLength the only valid length
     * @return the array
     * @throws IOException if the length differs or values are missing
     */
    public int[] readInts(String what, int expectedLength) throws IOException {
        readInt("length of " + what, expectedLength, expectedLength);
        return readIntValues(what, expectedLength);
    }

    /**
     * Reads a length-prefixed int array whose length is only bounded.
     *
     * @param what      what the array is
     * @param minLength smallest valid length
     * @param maxLength largest valid length (also bounded by the bytes that remain)
     * @return the array
     * @throws IOException if the length is out of range or values are missing
     */
    public int[] readInts(String what, int minLength, int maxLength) throws IOException {
        int n = readInt("length of " + what, minLength, maxLength);
        return readIntValues(what, n);
    }

    /**
     * Reads {@code n} ints without a length prefix; the bytes are checked to be there before the array is allocated.
     *
     * @param what what the values are
     * @param n    how many, known to the caller
     * @return the values
     * @throws IOException if fewer remain
     */
    public int[] readIntValues(String what, int n) throws IOException {
        need(4L * n, what);
        int[] a = new int[n];
        return read(4L * n, what, () -> {
            for (int i = 0; i < n; i++) {
                a[i] = in.readInt();
            }
            return a;
        });
    }

    /**
     * Reads {@code n} doubles; the bytes are checked to be there before the array is allocated.
     *
     * @param what what the values are
     * @param n    how many, known to the caller
     * @return the values
     * @throws IOException if fewer remain
     */
    public double[] readDoubles(String what, int n) throws IOException {
        need(8L * n, what);
        double[] a = new double[n];
        return read(8L * n, what, () -> {
            for (int i = 0; i < n; i++) {
                a[i] = in.readDouble();
            }
            return a;
        });
    }

    /**
     * Checks that every byte of the state was read.
     *
     * @throws IOException if bytes are left (a checkpoint of another layout, or corruption the checksum missed)
     */
    public void expectEnd() throws IOException {
        if (length != UNKNOWN && pos != length) {
            throw corrupt((length - pos) + " unread bytes after the end of the state");
        }
    }
}
