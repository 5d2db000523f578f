package org.dgrab.core.internal.balance;

import org.dgrab.core.balance.SignRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.dgrab.core.internal.random.SplitMix64;
import org.dgrab.core.internal.state.StateReader;

/**
 * The herding kernel: keeps a running sum {@code r} and, for each new vector {@code d}, picks {@code s} with a
 * {@link SignRule} and sets {@code r += s * d}. One inner product and one axpy per call, in place.
 *
 * <p>Call order: {@link #balance} any number of times, {@link #reset()} between epochs. The running sum is
 * allocated on the first call, shaped like the first vector.
 */
public final class Balancer {
    /** Returned by {@link #balance} when {@code <r, d>} is not finite; nothing was changed. */
    public static final int NOT_FINITE = 0;

    private final SignRule rule;
    private final SplitMix64 rng;
    private VectorBuffer sum;

    /**
     * @param rule sign rule
     * @param seed seed of the rule's generator (ignored by deterministic rules, but kept for checkpoints)
     */
    public Balancer(SignRule rule, long seed) {
        if (rule == null) {
            throw new IllegalArgumentException("sign rule is null");
        }
        this.rule = rule;
        this.rng = new SplitMix64(seed);
    }

    /**
     * Balances one vector against the running sum.
     *
     * @param d the vector; not modified
     * @return +1 or -1, the sign applied; or {@link #NOT_FINITE} if {@code <r, d>} is NaN or infinite, in which
     *         case the running sum and the generator are unchanged (a NaN or infinity anywhere in {@code d} always
     *         lands here, since {@code 0 * NaN} and {@code 0 * inf} are NaN)
     */
    public int balance(VectorBuffer d) {
        if (sum == null) {
            sum = d.newZero();
        }
        double dot = sum.dot(d);
        if (!Double.isFinite(dot)) {
            return NOT_FINITE;
        }
        int s = rule.sign(dot, rng);
        sum.addScaled(s, d);
        return s;
    }

    /** Zeroes the running sum (the generator keeps going, so epochs draw fresh randomness). */
    public void reset() {
        if (sum != null) {
            sum.zero();
        }
    }

    /**
     * Drops the running sum (it is allocated again, zero, by the next {@link #balance}); the generator keeps its
     * state. For sums that will stay idle, so that their memory is returned.
     */
    public void release() {
        sum = null;
    }

    /** @return the running sum, or null before the first call */
    public VectorBuffer runningSum() {
        return sum;
    }

    /** @return the sign rule */
    public SignRule rule() {
        return rule;
    }

    /**
     * Writes the running sum and generator state.
     *
     * @param out sink
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        out.writeLong(rng.state());
        out.writeBoolean(sum != null);
        if (sum != null) {
            sum.write(out);
        }
    }

    /**
     * Restores what {@link #write} wrote.
     *
     * @param in   source
     * @param like a buffer of the kind the running sum must have, used if the checkpoint has one
     * @throws IOException on failure
     */
    public void read(DataInput in, VectorBuffer like) throws IOException {
        read(StateReader.of(in), like, "balancer").run();
    }

    /**
     * Reads what {@link #write} wrote without changing this balancer; the returned action applies it and cannot
     * fail, so a caller can read and check a whole checkpoint before it changes anything.
     *
     * @param in    source
     * @param like  a buffer of the kind the running sum must have, or null if the checkpoint has no vectors
     * @param owner whose balancer this is, for messages
     * @return the action that applies the state read
     * @throws IOException for missing values, or a running sum where the checkpoint has no vectors
     */
    public Runnable read(StateReader in, VectorBuffer like, String owner) throws IOException {
        long state = in.readLong(owner + " sign generator state");
        VectorBuffer restored = null;
        if (in.readBoolean(owner + " running sum present")) {
            if (like == null) {
                throw in.corrupt(owner + " has a running sum, but the checkpoint records no vector dimension");
            }
            restored = like.readCopy(in, owner + " running sum");
        }
        VectorBuffer s = restored;
        return () -> {
            rng.setState(state);
            sum = s;
        };
    }
}
