package org.dgrab.dl4j.iterator;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import org.dgrab.dl4j.Granularity;

/**
 * The binary form of an {@link OrderingSession}'s state: magic, version, granularity, workers, batches per epoch,
 * position (batches trained in the current epoch), the strategy's own checkpoint, and a CRC32C of every byte
 * before it. {@link #read} checks everything against the iterator before the caller changes anything.
 */
final class SessionState {
    private static final int MAGIC = 0x44474954;
    private static final int VERSION = 1;
    /** Header: magic, version, granularity, workers, batches, position, strategy length. */
    private static final int HEADER = 4 * 7;

    /**
     * A state read and checked, not yet applied.
     *
     * @param position       batches of the epoch already trained
     * @param strategyOffset where the strategy's checkpoint starts in the bytes
     * @param strategyLength its length
     */
    record Checked(int position, int strategyOffset, int strategyLength) {
    }

    private SessionState() {
    }

    /**
     * @param out         sink, not closed
     * @param granularity the iterator's granularity
     * @param workers     its workers
     * @param batches     its batches per epoch
     * @param position    batches of the epoch already trained (0 at an epoch's end: the next one starts)
     * @param strategy    the strategy's checkpoint
     * @throws IOException on write failure
     */
    static void write(OutputStream out, Granularity granularity, int workers, int batches, int position,
                      ByteArrayOutputStream strategy) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        d.writeInt(granularity.ordinal());
        d.writeInt(workers);
        d.writeInt(batches);
        d.writeInt(position);
        d.writeInt(strategy.size());
        strategy.writeTo(d);
        d.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        d.writeInt((int) crc.getValue());
        d.flush();
        bytes.writeTo(out);
    }

    /**
     * Reads and checks a state against the iterator that is to take it.
     *
     * @param all         the whole state
     * @param granularity the iterator's granularity
     * @param workers     its workers
     * @param batches     its batches per epoch
     * @return the checked state
     * @throws IOException if it is damaged or from a differently configured iterator (the message says what)
     */
    static Checked read(byte[] all, Granularity granularity, int workers, int batches) throws IOException {
        if (all.length < HEADER + 4) {
            throw new IOException("iterator state truncated: " + all.length + " bytes, the header alone needs "
                    + (HEADER + 4));
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getInt() != MAGIC) {
            throw new IOException("not a dgrab iterator state (wrong magic number)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IOException("iterator state version " + version + " is not supported (this dgrab reads "
                    + VERSION + ")");
        }
        int g = b.getInt();
        int savedWorkers = b.getInt();
        int savedBatches = b.getInt();
        int position = b.getInt();
        int length = b.getInt();
        if (length < 0 || length != all.length - HEADER - 4) {
            throw new IOException("iterator state has " + all.length + " bytes, its header announces "
                    + ((long) HEADER + 4 + Math.max(0, length)));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) {
            throw new IOException("iterator state is corrupted (checksum mismatch)");
        }
        Granularity[] kinds = Granularity.values();
        if (g < 0 || g >= kinds.length || kinds[g] != granularity) {
            throw new IOException("iterator state is of granularity "
                    + (g >= 0 && g < kinds.length ? kinds[g].id() : "#" + g) + ", this iterator orders "
                    + granularity.id());
        }
        if (savedWorkers != workers || savedBatches != batches) {
            throw new IOException("iterator state is of " + savedWorkers + " worker(s) and " + savedBatches
                    + " batches per epoch; this iterator has " + workers + " and " + batches
                    + " (same data, batch size and workers are needed)");
        }
        if (position < 0 || position >= batches) {
            throw new IOException("iterator state position " + position + " outside [0, " + batches + ")");
        }
        return new Checked(position, HEADER, length);
    }
}
