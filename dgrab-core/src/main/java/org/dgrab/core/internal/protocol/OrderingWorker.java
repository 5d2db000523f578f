package org.dgrab.core.internal.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

import org.dgrab.core.internal.balance.OrderBuilder;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.internal.state.StateFormat;
import org.dgrab.core.internal.state.StateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of CD-GraB. It owns one worker's order; for each pair of consecutive steps it forms the pair
 * difference and reports it through the {@link Transport}; at the end of the epoch it collects its signs and
 * builds its next order (sign +1: first unit of the pair to the next front slot, second to the next back slot).
 * A lone last unit (odd shard) reports its own vector and takes the middle slot.
 *
 * <p>Call order per epoch: {@link #observe(int, VectorRef)} for steps {@code 0..m-1}, then {@link #finishEpoch()}.
 * Training never waits for the coordinator until {@code finishEpoch}. Not thread-safe; one thread per worker.
 */
public final class OrderingWorker {
    private static final Logger log = LoggerFactory.getLogger(OrderingWorker.class);

    private final int id;
    private final Transport transport;
    private final NonFiniteAction onNonFinite;
    private final Duration timeout;
    private final PairReport report = new PairReport();
    private final SignReply reply = new SignReply();
    private final OrderBuilder builder = new OrderBuilder();

    private int[] order;
    private int epoch;
    private int nextStep;
    private VectorBuffer first;
    private VectorBuffer diff;
    private long skipped;

    /**
     * @param id           worker id
     * @param initialOrder epoch 0's order of the worker's units (copied)
     * @param transport    link to the coordinator
     * @param onNonFinite  what to do with a non-finite pair difference: throw, or return to skip the pair
     * @param timeout      how long {@link #finishEpoch()} waits for signs
     */
    public OrderingWorker(int id, int[] initialOrder, Transport transport, NonFiniteAction onNonFinite,
            Duration timeout) {
        if (initialOrder == null || initialOrder.length == 0 || !Permutations.isPermutation(initialOrder)) {
            throw new IllegalArgumentException("worker " + id + ": initial order must be a non-empty permutation");
        }
        if (transport == null || onNonFinite == null || timeout == null) {
            throw new IllegalArgumentException("worker " + id + ": transport, non-finite action and timeout are required");
        }
        this.id = id;
        this.order = initialOrder.clone();
        this.transport = transport;
        this.onNonFinite = onNonFinite;
        this.timeout = timeout;
    }

    /** @return worker id */
    public int id() {
        return id;
    }

    /** @return current epoch */
    public int epoch() {
        return epoch;
    }

    /** @return number of local units */
    public int units() {
        return order.length;
    }

    /** @return a copy of the current order */
    public int[] order() {
        return order.clone();
    }

    /** @return pairs (or lone units) this worker skipped (its {@link NonFiniteAction} returned) */
    public long skippedCount() {
        return skipped;
    }

    /**
     * Hands in the gradient of the unit visited at {@code step}.
     *
     * @param step next step, in order
     * @param x    the gradient (or its sketch); read, not kept
     * @throws IllegalArgumentException for a wrong step or shape, or a report the coordinator rejects; the worker
     *                                  is then unchanged
     * @throws RuntimeException whatever the {@link NonFiniteAction} throws for a non-finite pair difference
     */
    public void observe(int step, VectorRef x) {
        if (step != nextStep) {
            throw new IllegalArgumentException("worker " + id + " observed step " + step + " of epoch " + epoch
                    + (step < nextStep ? " twice" : " out of order") + "; expected step " + nextStep + " in [0, " + order.length + ")");
        }
        if (first == null) {
            first = VectorBuffer.like(x, x.dim());
            diff = first.newZero();
        }
        boolean lone = step == order.length - 1 && step % 2 == 0;
        if (step % 2 == 0 && !lone) {
            first.assign(x);
            nextStep++;
            return;
        }
        if (lone) {
            diff.assign(x);
        } else {
            diff.difference(first, x);
        }
        VectorBuffer payload = diff;
        // One extra pass over the difference; it catches NaN or infinity here, in the thread that produced it.
        if (!Double.isFinite(diff.dot(diff))) {
            handleNonFinite(step, x, lone);
            payload = null;
        }
        transport.report(report.set(epoch, step / 2, id, payload));
        if (payload == null) {
            skipped++;
        }
        nextStep++;
    }

    private void handleNonFinite(int step, VectorRef x, boolean lone) {
        int badStep = step;
        String where;
        if (!lone && first.firstNonFinite() >= 0) {
            badStep = step - 1;
            where = "first gradient of the pair of steps " + (step - 1) + " and " + step + " has a non-finite value at index "
                    + first.firstNonFinite();
        } else if (x.firstNonFinite() >= 0) {
            where = "gradient has a non-finite value at index " + x.firstNonFinite();
        } else {
            where = "pair difference overflowed";
        }
        onNonFinite.onNonFinite(id, epoch, badStep, order[badStep], where);
        log.warn("worker {} skips non-finite gradient in epoch {} at step {} (unit {}): {}", id, epoch, badStep,
                order[badStep], where);
    }

    /**
     * Collects this epoch's signs (waiting for the other workers if needed), builds the next order and moves to
     * the next epoch.
     *
     * @throws IllegalStateException if steps are missing, or on timeout (the message says which reports the
     *                               coordinator still waits for)
     */
    public void finishEpoch() {
        if (nextStep != order.length) {
            throw new IllegalStateException("worker " + id + " cannot finish epoch " + epoch + ": observed " + nextStep
                    + " of " + order.length + " steps");
        }
        transport.awaitSigns(id, epoch, reply, timeout);
        int pairs = (order.length + 1) / 2;
        if (reply.count() != pairs || reply.epoch() != epoch) {
            throw new IllegalStateException("worker " + id + " got " + reply.count() + " signs for epoch " + reply.epoch()
                    + ", expected " + pairs + " for epoch " + epoch);
        }
        builder.reset(order.length);
        for (int k = 0; k < pairs; k++) {
            int a = 2 * k;
            if (a + 1 < order.length) {
                builder.placePair(reply.sign(k), order[a], order[a + 1]);
            } else {
                builder.place(reply.sign(k), order[a]);
            }
        }
        System.arraycopy(builder.result(), 0, order, 0, order.length);
        epoch++;
        nextStep = 0;
    }

    /**
     * Writes the worker's state (order, epoch, step, pending first gradient of a pair).
     *
     * @param out sink
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        out.writeInt(id);
        StateFormat.writeInts(out, order);
        out.writeInt(epoch);
        out.writeInt(nextStep);
        out.writeLong(skipped);
        VectorBuffer.writeTyped(out, first);
    }

    /**
     * Restores what {@link #write} wrote.
     *
     * @param in source
     * @throws IOException on failure or a checkpoint of another worker
     */
    public void read(DataInput in) throws IOException {
        apply(read(StateReader.of(in)));
    }

    /**
     * Reads what {@link #write} wrote without changing this worker; {@link #apply(Saved)} applies it.
     *
     * @param in source
     * @return the state read, checked on its own (a caller checks it against the coordinator and the strategy)
     * @throws IOException for a checkpoint of another worker, an order that is not a permutation of this worker's
     *                     units, a step out of range, a negative counter, or a malformed vector
     */
    public Saved read(StateReader in) throws IOException {
        long at = in.position();
        int got = in.readInt("worker id");
        if (got != id) {
            throw new IOException("checkpoint holds worker " + got + " at byte " + at + ", this is worker " + id);
        }
        String who = "worker " + id;
        int[] o = in.readInts(who + " order", order.length);
        if (!Permutations.isPermutation(o)) {
            throw in.corrupt(who + " order is not a permutation of " + order.length + " units");
        }
        int e = in.readInt(who + " epoch", 0, Integer.MAX_VALUE);
        int step = in.readInt(who + " next step", 0, order.length);
        long skip = in.readCount(who + " skipped pairs");
        VectorBuffer f = VectorBuffer.readTyped(in, who + " cached first gradient");
        if (f == null && step % 2 == 1) {
            throw in.corrupt(who + " is inside a pair at step " + step + " but has no cached first gradient");
        }
        return new Saved(o, e, step, skip, f);
    }

    /**
     * Replaces this worker's state by one read with {@link #read(StateReader)}. Cannot fail.
     *
     * @param s the state
     */
    public void apply(Saved s) {
        order = s.order;
        epoch = s.epoch;
        nextStep = s.nextStep;
        skipped = s.skipped;
        first = s.first;
        diff = first == null ? null : first.newZero();
    }

    /** A worker's state read from a checkpoint, not yet applied. Immutable once read. */
    public static final class Saved {
        private final int[] order;
        private final int epoch;
        private final int nextStep;
        private final long skipped;
        private final VectorBuffer first;

        private Saved(int[] order, int epoch, int nextStep, long skipped, VectorBuffer first) {
            this.order = order;
            this.epoch = epoch;
            this.nextStep = nextStep;
            this.skipped = skipped;
            this.first = first;
        }

        /**
         * @param t step
         * @return the unit the order visits at that step
         */
        public int unitAt(int t) {
            return order[t];
        }

        /** @return the epoch */
        public int epoch() {
            return epoch;
        }

        /** @return the next step to observe */
        public int nextStep() {
            return nextStep;
        }

        /** @return the cached first gradient of an open pair, or null if the worker never observed */
        public VectorBuffer first() {
            return first;
        }
    }
}
