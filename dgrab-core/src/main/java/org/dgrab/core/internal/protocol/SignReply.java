package org.dgrab.core.internal.protocol;

/**
 * Coordinator to worker: the signs of all of one worker's pair-steps in one epoch, sent once at the epoch's end.
 * {@code +1} means the pair's first unit goes to the front of the next order and its second to the back;
 * {@code -1} the reverse. Mutable and reusable; on the wire signs are packed one bit each.
 */
public final class SignReply {
    /** Bytes of the fixed header on the wire: epoch, worker id, number of signs. */
    public static final int HEADER_BYTES = 12;

    private int epoch;
    private int worker;
    private byte[] signs = new byte[0];
    private int count;

    /**
     * Fills the reply, copying the signs.
     *
     * @param epoch  epoch
     * @param worker recipient
     * @param src    signs, +1 or -1
     * @param n      number of signs to copy from {@code src}
     * @return this
     */
    public SignReply set(int epoch, int worker, byte[] src, int n) {
        this.epoch = epoch;
        this.worker = worker;
        if (signs.length < n) {
            signs = new byte[n];
        }
        System.arraycopy(src, 0, signs, 0, n);
        this.count = n;
        return this;
    }

    /** @return epoch */
    public int epoch() {
        return epoch;
    }

    /** @return recipient */
    public int worker() {
        return worker;
    }

    /** @return number of signs (the worker's pair-steps) */
    public int count() {
        return count;
    }

    /**
     * @param pairStep pair-step index in {@code [0, count())}
     * @return +1 or -1
     */
    public int sign(int pairStep) {
        if (pairStep < 0 || pairStep >= count) {
            throw new IndexOutOfBoundsException("pair-step " + pairStep + " outside [0, " + count + ")");
        }
        return signs[pairStep];
    }

    /** @return bytes this reply takes on the wire */
    public long wireBytes() {
        return HEADER_BYTES + (count + 7L) / 8;
    }
}
