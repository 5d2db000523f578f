package org.dgrab.core.internal.state;

import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The versioned binary checkpoint format of ordering state. Layout of version {@value #VERSION}, big-endian:
 * <pre>
 *   int  magic "DGRB"        int  version        int  payload length n
 *   n bytes of payload (the strategy's state)     int  CRC32C of every byte before it
 * </pre>
 * {@link #readCheckpoint(InputStream)} checks magic, version, length, checksum and that nothing follows the
 * checksum before it hands out the payload, so that a corrupt file is refused as a whole before any field of it is
 * believed; {@link StateReader} then reads the payload with every length bounded. Version 1 (no length, no
 * checksum) is refused with a message naming its version.
 *
 * <p>Vectors are written as doubles, which hold every ND4J float type exactly, so a restored strategy continues
 * bit-for-bit.
 */
public final class StateFormat {
    /** "DGRB". */
    public static final int MAGIC = 0x44475242;
    /** Current format version. */
    public static final int VERSION = 2;
    /** Bytes before the payload: magic, version, payload length. */
    public static final int HEADER_BYTES = 12;
    /** Bytes after the payload: the CRC32C. */
    public static final int TRAILER_BYTES = 4;
    /** Largest payload a checkpoint may declare (the largest array a JVM allocates). */
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;
    private static final int CHUNK = 1 << 16;

    private StateFormat() {
    }

    /**
     * Writes a whole checkpoint: header, payload, checksum.
     *
     * @param out     sink; not closed
     * @param payload the state
     * @throws IOException on write failure
     */
    public static void writeCheckpoint(OutputStream out, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putInt(payload.length);
        CRC32C crc = new CRC32C();
        crc.update(header.array());
        crc.update(payload);
        out.write(header.array());
        out.write(payload);
        out.write(ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue()).array());
        out.flush();
    }

    /**
     * Reads a whole checkpoint and returns its payload after checking everything around it. Reads the stream to
     * its end: a checkpoint must be the rest of the stream.
     *
     * @param in source; not closed
     * @return the verified payload, which starts at byte {@link #HEADER_BYTES} of the checkpoint
     * @throws IOException naming what is wrong: not a checkpoint, an unsupported version, truncated (with how many
     *                     bytes of how many arrived), a checksum mismatch, or bytes after the end
     */
    public static byte[] readCheckpoint(InputStream in) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        int got = in.readNBytes(header, 0, HEADER_BYTES);
        if (got == 0) {
            throw new IOException("checkpoint is empty: 0 bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        if (got >= 4) {
            checkMagic(h.getInt(0));
        }
        if (got >= 8) {
            checkVersion(h.getInt(4));
        }
        if (got < HEADER_BYTES) {
            throw new IOException("checkpoint truncated: " + got + " of at least " + (HEADER_BYTES + TRAILER_BYTES)
                    + " bytes (it ends inside the header)");
        }
        int n = h.getInt(8);
        if (n < 0 || n > MAX_PAYLOAD) {
            throw new IOException("corrupt checkpoint at byte 8: payload length " + n + ", expected [0, " + MAX_PAYLOAD + "]");
        }
        long total = (long) HEADER_BYTES + n + TRAILER_BYTES;
        byte[] payload = readUpTo(in, n, total);
        byte[] trailer = new byte[TRAILER_BYTES];
        int t = in.readNBytes(trailer, 0, TRAILER_BYTES);
        if (t < TRAILER_BYTES) {
            throw new IOException("checkpoint truncated: " + (HEADER_BYTES + n + t) + " of " + total + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(payload);
        int stored = ByteBuffer.wrap(trailer).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(String.format("corrupt checkpoint: the CRC32C of its %d bytes is 0x%08X, but byte %d "
                    + "holds 0x%08X", HEADER_BYTES + n, (int) crc.getValue(), HEADER_BYTES + n, stored));
        }
        if (in.read() != -1) {
            throw new IOException("checkpoint has trailing bytes after its end at byte " + total
                    + " (a checkpoint must be the rest of the stream)");
        }
        return payload;
    }

    /** Reads n bytes, growing the buffer only as bytes arrive, so a corrupt length cannot allocate more than is there. */
    private static byte[] readUpTo(InputStream in, int n, long total) throws IOException {
        byte[] buf = new byte[Math.min(n, CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new IOException("checkpoint truncated: " + (HEADER_BYTES + filled) + " of " + total + " bytes");
            }
            filled += r;
        }
        return buf;
    }

    private static void checkMagic(int magic) throws IOException {
        if (magic != MAGIC) {
            throw new IOException(String.format("not a dgrab ordering checkpoint: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
    }

    private static void checkVersion(int version) throws IOException {
        if (version == 1) {
            throw new IOException("checkpoint format version 1 is not supported (this code reads version " + VERSION
                    + "; version 1 checkpoints have no integrity check and cannot be restored, save a new one)");
        }
        if (version != VERSION) {
            throw new IOException("checkpoint format version " + version + " is not supported (this code reads version "
                    + VERSION + ")");
        }
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
}
