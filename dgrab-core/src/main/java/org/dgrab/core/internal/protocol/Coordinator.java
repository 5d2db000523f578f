package org.dgrab.core.internal.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.state.StateFormat;
import org.dgrab.core.internal.state.StateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CD-GraB coordinator: balances every worker's pair differences against one shared running sum, in canonical
 * order (pair-step 0 of workers 0..n-1, then pair-step 1, ...), and keeps each worker's signs until it collects
 * them at the end of the epoch.
 *
 * <p>Reports may arrive in any interleaving across workers (each worker's own reports in pair-step order). A
 * report that is next in canonical order is balanced at once, straight from the sender's buffer; an early one is
 * copied into a pooled buffer and balanced when its turn comes. So the signs, and hence every order, are identical
 * whatever the thread timing. When the last report of an epoch has been balanced the running sum restarts and the
 * coordinator accepts the next epoch.
 *
 * <p>Not thread-safe: a {@link Transport} serialises calls. Call order: {@link #accept} for every report of epoch
 * e, then {@link #takeSigns} once per worker (allowed as soon as {@link #signsReady} says so), then epoch e+1.
 */
public final class Coordinator {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

    private final int[] units;
    private final int[] pairSteps;
    private final int maxPairSteps;
    private final Balancer balancer;
    private final int n;

    private int epoch;
    private int cursorStep;
    private int cursorWorker;
    private final int[] expectedStep;
    private final int[] collected;
    /** signs[epoch parity][worker][pair-step]: the finished epoch and the one being collected. */
    private final byte[][][] signs;
    private final List<ArrayDeque<Pending>> pending;
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();
    private VectorBuffer shape;
    private long balanced;
    private long skipped;

    /** A report received before its turn: copied, balanced when the cursor reaches it. */
    static final class Pending {
        int step;
        VectorBuffer buffer;
        boolean skipped;
    }

    /**
     * @param unitsPerWorker local units of each worker (a worker has {@code ceil(m/2)} pair-steps)
     * @param rule           sign rule
     * @param seed           seed of the sign rule's generator
     */
    public Coordinator(int[] unitsPerWorker, SignRule rule, long seed) {
        if (unitsPerWorker == null || unitsPerWorker.length == 0) {
            throw new IllegalArgumentException("coordinator needs at least one worker");
        }
        this.n = unitsPerWorker.length;
        this.units = unitsPerWorker.clone();
        this.pairSteps = new int[n];
        int max = 0;
        for (int w = 0; w < n; w++) {
            if (units[w] < 1) {
                throw new IllegalArgumentException("worker " + w + " has " + units[w] + " units; every worker needs at least 1");
            }
            pairSteps[w] = (units[w] + 1) / 2;
            max = Math.max(max, pairSteps[w]);
        }
        this.maxPairSteps = max;
        this.balancer = new Balancer(rule, seed);
        this.expectedStep = new int[n];
        this.collected = new int[n];
        java.util.Arrays.fill(collected, -1);
        this.signs = new byte[2][n][];
        this.pending = new ArrayList<>(n);
        for (int w = 0; w < n; w++) {
            signs[0][w] = new byte[pairSteps[w]];
            signs[1][w] = new byte[pairSteps[w]];
            pending.add(new ArrayDeque<>());
        }
    }

    /** @return number of workers */
    public int workers() {
        return n;
    }

    /** @return the epoch whose reports are being collected */
    public int epoch() {
        return epoch;
    }

    /**
     * @param worker worker id
     * @return the worker's pair-steps per epoch, {@code ceil(m/2)}
     */
    public int pairSteps(int worker) {
        checkWorker(worker);
        return pairSteps[worker];
    }

    /** @return reports balanced so far, over all epochs */
    public long balancedCount() {
        return balanced;
    }

    /** @return skipped reports so far (workers' SKIP policy, or non-finite inner products) */
    public long skippedCount() {
        return skipped;
    }

    /** @return reports received but waiting for earlier ones in canonical order */
    public int pendingCount() {
        int c = 0;
        for (ArrayDeque<Pending> q : pending) {
            c += q.size();
        }
        return c;
    }

    /**
     * Accepts one report. Everything is checked before anything changes: a rejected report leaves the
     * coordinator as it was.
     *
     * @param r the report; its payload is read now or copied
     * @throws IllegalArgumentException naming worker, epoch and pair-step, for an unknown worker, a wrong epoch, a
     *                                  pair-step out of range, repeated or out of order, or a payload of the wrong
     *                                  shape
     * @throws IllegalStateException    if the worker has not collected its previous signs
     */
    public void accept(PairReport r) {
        int w = r.worker();
        int k = r.pairStep();
        if (w < 0 || w >= n) {
            throw new IllegalArgumentException("report from unknown worker id " + w + " (pair-step " + k + " of epoch "
                    + r.epoch() + "); valid range [0, " + n + ")");
        }
        if (r.epoch() != epoch) {
            String why = r.epoch() < epoch ? "epoch " + r.epoch() + " is already complete" : "the coordinator is still collecting epoch " + epoch;
            throw new IllegalArgumentException("worker " + w + " reported pair-step " + k + " of epoch " + r.epoch()
                    + ", but " + why);
        }
        if (collected[w] != epoch - 1) {
            throw new IllegalStateException("worker " + w + " reported pair-step " + k + " of epoch " + epoch
                    + " before collecting its signs of epoch " + (epoch - 1));
        }
        if (k < 0 || k >= pairSteps[w]) {
            throw new IllegalArgumentException("worker " + w + " reported pair-step " + k + " in epoch " + epoch
                    + ", outside its valid range [0, " + pairSteps[w] + ") for " + units[w] + " units");
        }
        if (k != expectedStep[w]) {
            throw new IllegalArgumentException("worker " + w + " reported pair-step " + k + " of epoch " + epoch
                    + (k < expectedStep[w] ? " twice" : " out of order") + "; expected pair-step " + expectedStep[w]);
        }
        VectorBuffer p = r.payload();
        if (p != null) {
            if (shape == null) {
                shape = p.newZero();
            } else if (!shape.sameShape(p)) {
                throw new IllegalArgumentException("worker " + w + " reported pair-step " + k + " of epoch " + epoch
                        + " with " + p.describe() + ", expected " + shape.describe());
            }
        }
        expectedStep[w]++;
        if (k == cursorStep && w == cursorWorker && pending.get(w).isEmpty()) {
            balance(w, k, p);
            advance();
        } else {
            Pending e = pool.isEmpty() ? new Pending() : pool.pop();
            e.step = k;
            e.skipped = p == null;
            if (p != null) {
                if (e.buffer == null) {
                    e.buffer = p.newZero();
                }
                e.buffer.assign(p);
            }
            pending.get(w).add(e);
        }
        drain();
    }

    private void balance(int w, int k, VectorBuffer p) {
        int s;
        if (p == null) {
            s = 1;
            skipped++;
        } else {
            s = balancer.balance(p);
            if (s == Balancer.NOT_FINITE) {
                // Workers check their differences before sending, so this is an overflow or an unchecked sender.
                log.warn("inner product for worker {} pair-step {} of epoch {} is not finite; treating the pair as "
                        + "skipped (sign +1, running sum unchanged)", w, k, epoch);
                s = 1;
                skipped++;
            }
        }
        signs[epoch & 1][w][k] = (byte) s;
        balanced++;
    }

    private void drain() {
        while (cursorStep < maxPairSteps) {
            ArrayDeque<Pending> q = pending.get(cursorWorker);
            Pending e = q.peek();
            if (e == null || e.step != cursorStep) {
                return;
            }
            q.pop();
            balance(cursorWorker, cursorStep, e.skipped ? null : e.buffer);
            pool.push(e);
            advance();
        }
    }

    private void advance() {
        for (int w = cursorWorker + 1; w < n; w++) {
            if (cursorStep < pairSteps[w]) {
                cursorWorker = w;
                return;
            }
        }
        cursorStep++;
        for (int w = 0; w < n; w++) {
            if (cursorStep < pairSteps[w]) {
                cursorWorker = w;
                return;
            }
        }
        // Every report of the epoch is balanced: restart the sum and open the next epoch.
        balancer.reset();
        epoch++;
        cursorStep = 0;
        cursorWorker = 0;
        java.util.Arrays.fill(expectedStep, 0);
    }

    /**
     * @param worker worker id
     * @param e      epoch
     * @return true if the worker's signs of epoch {@code e} can be taken now
     */
    public boolean signsReady(int worker, int e) {
        checkWorker(worker);
        return e >= 0 && e == epoch - 1;
    }

    /**
     * Hands a worker its signs of a finished epoch.
     *
     * @param worker worker id
     * @param e      epoch, must be the last finished one
     * @param out    reply to fill
     * @throws IllegalStateException if that epoch is not finished, or too old
     */
    public void takeSigns(int worker, int e, SignReply out) {
        checkWorker(worker);
        if (e < 0 || e != epoch - 1) {
            throw new IllegalStateException(e >= epoch || e < 0
                    ? "signs of epoch " + e + " for worker " + worker + " are not ready: " + describeMissing()
                    : "signs of epoch " + e + " for worker " + worker + " are gone; the last finished epoch is " + (epoch - 1));
        }
        out.set(e, worker, signs[e & 1][worker], pairSteps[worker]);
        collected[worker] = e;
    }

    /** @return which report the coordinator waits for, for timeout and error messages */
    public String describeMissing() {
        StringBuilder s = new StringBuilder("coordinator is collecting epoch ").append(epoch)
                .append(" and waits for pair-step ").append(cursorStep).append(" of worker ").append(cursorWorker)
                .append("; reports received per worker: ");
        for (int w = 0; w < n; w++) {
            s.append(w == 0 ? "" : ", ").append(w).append('=').append(expectedStep[w]).append('/').append(pairSteps[w]);
        }
        return s.toString();
    }

    private void checkWorker(int w) {
        if (w < 0 || w >= n) {
            throw new IllegalArgumentException("unknown worker id " + w + "; valid range [0, " + n + ")");
        }
    }

    /**
     * Writes the whole coordinator state, pending reports included.
     *
     * @param out sink
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        StateFormat.writeInts(out, units);
        out.writeInt(epoch);
        out.writeInt(cursorStep);
        out.writeInt(cursorWorker);
        StateFormat.writeInts(out, expectedStep);
        StateFormat.writeInts(out, collected);
        out.writeLong(balanced);
        out.writeLong(skipped);
        for (int parity = 0; parity < 2; parity++) {
            for (int w = 0; w < n; w++) {
                out.write(signs[parity][w]);
            }
        }
        VectorBuffer.writeTyped(out, shape);
        balancer.write(out);
        for (ArrayDeque<Pending> q : pending) {
            out.writeInt(q.size());
            for (Pending e : q) {
                out.writeInt(e.step);
                out.writeBoolean(e.skipped);
                if (!e.skipped) {
                    e.buffer.write(out);
                }
            }
        }
    }

    /**
     * Restores what {@link #write} wrote, for the same shard sizes.
     *
     * @param in source
     * @throws IOException on failure or different shard sizes
     */
    public void read(DataInput in) throws IOException {
        apply(read(StateReader.of(in)));
    }

    /**
     * Reads what {@link #write} wrote without changing this coordinator, and checks that the state is one the
     * coordinator can reach; {@link #apply(CoordinatorState)} applies it.
     *
     * @param in source
     * @return the state read
     * @throws IOException for other shard sizes or any inconsistency, naming the field and the byte
     */
    public CoordinatorState read(StateReader in) throws IOException {
        return CoordinatorState.read(in, units, pairSteps, balancer);
    }

    /**
     * Replaces this coordinator's state by one read with {@link #read(StateReader)}. Cannot fail.
     *
     * @param s the state
     */
    public void apply(CoordinatorState s) {
        epoch = s.epoch;
        cursorStep = s.cursorStep;
        cursorWorker = s.cursorWorker;
        System.arraycopy(s.expectedStep, 0, expectedStep, 0, n);
        System.arraycopy(s.collected, 0, collected, 0, n);
        balanced = s.balanced;
        skipped = s.skipped;
        for (int parity = 0; parity < 2; parity++) {
            for (int w = 0; w < n; w++) {
                System.arraycopy(s.signs[parity][w], 0, signs[parity][w], 0, pairSteps[w]);
            }
        }
        shape = s.shape;
        s.balancer.run();
        // Pooled buffers may have another shape than the restored one (e.g. the other input kind).
        pool.clear();
        for (int w = 0; w < n; w++) {
            pending.get(w).clear();
            pending.get(w).addAll(s.pending.get(w));
        }
    }
}
