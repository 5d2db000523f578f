package org.dgrab.core.internal.protocol;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.state.StateReader;

/**
 * A {@link Coordinator}'s state read from a checkpoint and checked on its own, not yet applied: what
 * {@link Coordinator#read(StateReader)} returns and {@link Coordinator#apply(CoordinatorState)} installs. Reading
 * it changes no coordinator, so a caller can also check it against the workers before anything changes.
 *
 * <p>The checks make sure the state is one the coordinator can reach: the cursor is a real canonical position, the
 * reports received agree with the cursor and the pending reports, a worker that has not collected the last epoch's
 * signs has sent nothing since, and every sign a worker will still read is +1 or -1. Immutable once read.
 */
public final class CoordinatorState {
    int epoch;
    int cursorStep;
    int cursorWorker;
    final int[] expectedStep;
    final int[] collected;
    long balanced;
    long skipped;
    final byte[][][] signs;
    VectorBuffer shape;
    Runnable balancer;
    final List<ArrayDeque<Coordinator.Pending>> pending = new ArrayList<>();

    private CoordinatorState(int n) {
        expectedStep = new int[n];
        collected = new int[n];
        signs = new byte[2][n][];
        for (int w = 0; w < n; w++) {
            pending.add(new ArrayDeque<>());
        }
    }

    static CoordinatorState read(StateReader in, int[] units, int[] pairSteps, Balancer balancer) throws IOException {
        int n = units.length;
        long at = in.position();
        int[] u = in.readInts("coordinator units per worker", 1, Integer.MAX_VALUE);
        if (!Arrays.equals(u, units)) {
            throw new IOException("checkpoint has coordinator units per worker " + Arrays.toString(u) + " at byte " + at
                    + ", this coordinator has " + Arrays.toString(units));
        }
        int maxPairSteps = Arrays.stream(pairSteps).max().orElseThrow();
        CoordinatorState s = new CoordinatorState(n);
        s.epoch = in.readInt("coordinator epoch", 0, Integer.MAX_VALUE);
        s.cursorStep = in.readInt("coordinator cursor pair-step", 0, maxPairSteps - 1);
        s.cursorWorker = in.readInt("coordinator cursor worker", 0, n - 1);
        if (s.cursorStep >= pairSteps[s.cursorWorker]) {
            throw in.corrupt("coordinator cursor is at pair-step " + s.cursorStep + " of worker " + s.cursorWorker
                    + ", which has only " + pairSteps[s.cursorWorker] + " pair-steps");
        }
        int[] expected = in.readInts("coordinator reports received per worker", n);
        int[] coll = in.readInts("coordinator collected epochs", n);
        for (int w = 0; w < n; w++) {
            if (expected[w] < 0 || expected[w] > pairSteps[w]) {
                throw in.corrupt("coordinator received " + expected[w] + " reports of worker " + w + ", which has "
                        + pairSteps[w] + " pair-steps");
            }
            // Signs of the last epoch are collected before a worker reports again (Coordinator.accept).
            if (coll[w] != s.epoch - 1 && (coll[w] != s.epoch - 2 || expected[w] != 0 || s.epoch == 0)) {
                throw in.corrupt("worker " + w + " collected the signs of epoch " + coll[w] + " while the coordinator "
                        + "collects epoch " + s.epoch + " and received " + expected[w] + " of its reports");
            }
        }
        System.arraycopy(expected, 0, s.expectedStep, 0, n);
        System.arraycopy(coll, 0, s.collected, 0, n);
        s.balanced = in.readCount("coordinator balanced reports");
        s.skipped = in.readCount("coordinator skipped reports");
        for (int parity = 0; parity < 2; parity++) {
            for (int w = 0; w < n; w++) {
                s.signs[parity][w] = in.readBytes("coordinator signs of worker " + w, pairSteps[w]);
            }
        }
        s.checkSigns(in, pairSteps);
        s.shape = VectorBuffer.readTyped(in, "coordinator vector shape");
        s.balancer = balancer.read(in, s.shape, "coordinator");
        s.readPending(in, pairSteps);
        return s;
    }

    /** Signs are bytes -1, 0 (never written yet) or +1; those a worker will still read must be -1 or +1. */
    private void checkSigns(StateReader in, int[] pairSteps) throws IOException {
        for (int parity = 0; parity < 2; parity++) {
            for (int w = 0; w < pairSteps.length; w++) {
                byte[] b = signs[parity][w];
                // Current epoch: the balanced pair-steps; the finished epoch: all, if the worker has not collected.
                int needed = parity == (epoch & 1) ? balancedOf(w, pairSteps[w])
                        : collected[w] == epoch - 2 ? pairSteps[w] : 0;
                for (int k = 0; k < b.length; k++) {
                    if (b[k] < -1 || b[k] > 1 || (k < needed && b[k] == 0)) {
                        throw in.corrupt("coordinator sign " + b[k] + " at pair-step " + k + " of worker " + w
                                + ", expected " + (k < needed ? "-1 or +1" : "-1, 0 or +1"));
                    }
                }
            }
        }
    }

    /** Pending reports are exactly those received but not yet balanced, in pair-step order. */
    private void readPending(StateReader in, int[] pairSteps) throws IOException {
        for (int w = 0; w < pairSteps.length; w++) {
            int done = balancedOf(w, pairSteps[w]);
            int received = expectedStep[w];
            if (received < done || (w == cursorWorker && received != done)) {
                throw in.corrupt("coordinator received " + received + " reports of worker " + w + ", but its cursor at "
                        + "pair-step " + cursorStep + " of worker " + cursorWorker + " means " + done + " were balanced"
                        + (w == cursorWorker ? " and the next one would be balanced at once" : ""));
            }
            int c = in.readInt("pending reports of worker " + w, received - done, received - done);
            for (int i = 0; i < c; i++) {
                Coordinator.Pending e = new Coordinator.Pending();
                e.step = in.readInt("pair-step of a pending report of worker " + w, done + i, done + i);
                e.skipped = in.readBoolean("skipped flag of a pending report of worker " + w);
                if (!e.skipped) {
                    if (shape == null) {
                        throw in.corrupt("pending report of worker " + w + " has a vector, but no shape is recorded");
                    }
                    e.buffer = shape.readCopy(in, "pending report of worker " + w);
                }
                pending.get(w).add(e);
            }
        }
    }

    /** Reports of a worker balanced in the current epoch: every canonical position before the cursor. */
    private int balancedOf(int w, int pairSteps) {
        return Math.min(pairSteps, cursorStep + (w < cursorWorker ? 1 : 0));
    }

    /** @return the epoch whose reports the coordinator collects */
    public int epoch() {
        return epoch;
    }

    /**
     * @param worker worker id
     * @return reports of that worker received in the current epoch
     */
    public int reportsReceived(int worker) {
        return expectedStep[worker];
    }

    /**
     * @param worker worker id
     * @return the last epoch whose signs that worker collected (-1 for none)
     */
    public int collected(int worker) {
        return collected[worker];
    }

    /** @return the shape of the vectors the coordinator balances, or null if it has seen none */
    public VectorBuffer shape() {
        return shape;
    }
}
