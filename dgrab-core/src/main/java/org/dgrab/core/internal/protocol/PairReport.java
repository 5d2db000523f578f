package org.dgrab.core.internal.protocol;

import org.dgrab.core.internal.balance.VectorBuffer;

/**
 * Worker to coordinator: "in epoch {@code e}, my pair-step {@code k} has difference {@code d}" (or its sketch).
 * For a worker with an odd number of units the last pair-step carries the lone unit's own vector. A report whose
 * {@link #payload()} is null tells the coordinator that the worker skipped this pair (non-finite gradients under
 * the SKIP policy): it is answered with sign +1 and does not touch the running sum.
 *
 * <p>Mutable and reused by the sending worker: a {@link Transport} must copy whatever it keeps before
 * {@link Transport#report} returns.
 */
public final class PairReport {
    /** Bytes of the fixed header on the wire: epoch, pair-step, worker id, payload length. */
    public static final int HEADER_BYTES = 16;

    private int epoch;
    private int pairStep;
    private int worker;
    private VectorBuffer payload;

    /**
     * Fills the report.
     *
     * @param epoch    epoch
     * @param pairStep pair-step within the epoch, {@code 0..ceil(m/2)-1}
     * @param worker   sender id
     * @param payload  pair difference (not copied), or null for a skipped pair
     * @return this
     */
    public PairReport set(int epoch, int pairStep, int worker, VectorBuffer payload) {
        this.epoch = epoch;
        this.pairStep = pairStep;
        this.worker = worker;
        this.payload = payload;
        return this;
    }

    /** @return epoch */
    public int epoch() {
        return epoch;
    }

    /** @return pair-step within the epoch */
    public int pairStep() {
        return pairStep;
    }

    /** @return sender id */
    public int worker() {
        return worker;
    }

    /** @return the vector, or null if the worker skipped this pair */
    public VectorBuffer payload() {
        return payload;
    }

    /** @return bytes this report takes on the wire: header plus payload elements at their data-type width */
    public long wireBytes() {
        return HEADER_BYTES + (payload == null ? 0L : (long) payload.dim() * payload.bytesPerElement());
    }

    @Override
    public String toString() {
        return "PairReport(epoch " + epoch + ", pair-step " + pairStep + ", worker " + worker
                + (payload == null ? ", skipped)" : ", " + payload.dim() + " values)");
    }
}
