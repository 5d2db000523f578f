package org.dgrab.core;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Each worker's way through the current epoch, for {@link AbstractOrderingStrategy}: its order, the step it
 * observes next, and the non-finite failure (under {@link NonFinitePolicy#FAIL}) it has not got past yet; with the
 * checks on shard sizes, steps and epoch ends and their messages.
 *
 * <p>Call order: {@link #checkUnits} on the shard sizes, then the constructor with epoch 0's orders. In an epoch,
 * for each observation {@link #checkObserve}, then {@link #fail} if the gradient is refused or {@link #advance} once
 * it is taken. At the end of the epoch {@link #checkComplete} (strategies that need every gradient), then
 * {@link #endEpoch} with the hook that computes the next orders. {@link #seek} and {@link #restore} replace the
 * orders and counters at any point; {@link #checkNotFailed} before a checkpoint is written. Confined like the
 * strategy; only the failures may be read from another thread.
 */
final class WorkerSteps {
    private final int[] units;
    private final int[][] orders;
    private final int[][] spare;
    private final int[] nextStep;
    /**
     * Per worker, the non-finite failure (under {@link NonFinitePolicy#FAIL}) that worker has not got past yet, or
     * null: {@link #checkNotFailed} refuses while any is set, since a checkpoint of this point resumes into the same
     * failure.
     */
    private final AtomicReferenceArray<NonFiniteGradientException> failed;

    /**
     * @param units        every worker's number of units, checked by {@link #checkUnits}; not copied, not changed
     * @param initialOrder epoch 0's order of a worker
     */
    WorkerSteps(int[] units, IntFunction<int[]> initialOrder) {
        this.units = units;
        int n = units.length;
        this.orders = new int[n][];
        this.spare = new int[n][];
        this.nextStep = new int[n];
        this.failed = new AtomicReferenceArray<>(n);
        for (int w = 0; w < n; w++) {
            orders[w] = initialOrder.apply(w);
            spare[w] = new int[units[w]];
        }
    }

    /**
     * @param unitsPerWorker local units of each worker
     * @return a copy of them
     * @throws IllegalArgumentException for null, no workers, or a worker without units (naming it)
     */
    static int[] checkUnits(int[] unitsPerWorker) {
        if (unitsPerWorker == null) {
            throw new IllegalArgumentException("units per worker is null; need at least one worker");
        }
        if (unitsPerWorker.length == 0) {
            throw new IllegalArgumentException("need at least one worker, got none");
        }
        for (int w = 0; w < unitsPerWorker.length; w++) {
            if (unitsPerWorker[w] < 1) {
                throw new IllegalArgumentException("worker " + w + " has " + unitsPerWorker[w]
                        + " units; every worker needs at least 1");
            }
        }
        return unitsPerWorker.clone();
    }

    /** @return each worker's order of this epoch, the arrays themselves (read only) */
    int[][] orders() {
        return orders;
    }

    /** @return each worker's next step, the array itself (read only) */
    int[] steps() {
        return nextStep;
    }

    /**
     * @param worker a valid worker id
     * @param step   the step
     * @return the unit the worker visits at that step
     * @throws IllegalArgumentException if the step is outside the worker's shard
     */
    int unitAt(int worker, int step) {
        if (step < 0 || step >= units[worker]) {
            throw new IllegalArgumentException("step " + step + " is outside [0, " + units[worker] + ") for worker " + worker);
        }
        return orders[worker][step];
    }

    /**
     * @param worker a valid worker id
     * @param step   the step about to be observed
     * @param epoch  the epoch, for the message
     * @throws IllegalArgumentException unless {@code step} is the worker's next step and inside its shard
     */
    void checkObserve(int worker, int step, int epoch) {
        int expected = nextStep[worker];
        // Past the end is refused even when step == expected (== m): that step does not exist.
        if (step != expected || expected == units[worker]) {
            String why;
            if (expected == units[worker]) {
                why = "worker " + worker + " has already observed all " + units[worker] + " steps of epoch " + epoch
                        + "; call endEpoch() first";
            } else if (step < expected) {
                why = "step " + step + " of worker " + worker + " in epoch " + epoch + " was already observed";
            } else {
                why = "step " + step + " of worker " + worker + " in epoch " + epoch + " is out of order";
            }
            throw new IllegalArgumentException(why + " (expected step " + expected + ", valid range [0, "
                    + units[worker] + "))");
        }
    }

    /**
     * Records that the worker's gradient at its next step was refused; the step stays where it is.
     *
     * @param worker worker id
     * @param e      the failure
     */
    void fail(int worker, NonFiniteGradientException e) {
        failed.set(worker, e);
    }

    /**
     * Moves the worker past its next step (past a failure there too, since the step was handed in again, finite).
     *
     * @param worker worker id
     */
    void advance(int worker) {
        failed.set(worker, null);
        nextStep[worker]++;
    }

    /**
     * @param epoch the epoch, for the message
     * @param kind  the strategy's id, for the message
     * @throws IllegalStateException if a worker has not observed all its steps
     */
    void checkComplete(int epoch, String kind) {
        for (int w = 0; w < units.length; w++) {
            if (nextStep[w] != units[w]) {
                throw new IllegalStateException("cannot end epoch " + epoch + ": worker " + w + " has observed "
                        + nextStep[w] + " of its " + units[w] + " steps (" + kind
                        + " needs every gradient; observe steps " + nextStep[w] + ".." + (units[w] - 1) + " first)");
            }
        }
    }

    /**
     * Moves every worker to the start of the next epoch.
     *
     * @param nextOrders fills the second argument (arrays of the right lengths) with the next orders, reading the
     *                   current ones from the first
     */
    void endEpoch(BiConsumer<int[][], int[][]> nextOrders) {
        nextOrders.accept(orders, spare);
        for (int w = 0; w < units.length; w++) {
            int[] t = orders[w];
            orders[w] = spare[w];
            spare[w] = t;
            nextStep[w] = 0;
        }
    }

    /**
     * Moves every worker to the start of an epoch with the given orders.
     *
     * @param orderOf the order of each worker
     */
    void seek(IntFunction<int[]> orderOf) {
        for (int w = 0; w < units.length; w++) {
            orders[w] = orderOf.apply(w);
            nextStep[w] = 0;
        }
    }

    /**
     * Sets the counters and orders of a checkpoint, already checked, and forgets every failure.
     *
     * @param steps     each worker's next step
     * @param newOrders each worker's order
     */
    void restore(int[] steps, int[][] newOrders) {
        System.arraycopy(steps, 0, nextStep, 0, units.length);
        System.arraycopy(newOrders, 0, orders, 0, units.length);
        for (int w = 0; w < units.length; w++) {
            failed.set(w, null);
        }
    }

    /**
     * @param kind the strategy's id, for the message
     * @throws IllegalStateException while a worker's last gradient was refused as non-finite under
     *                               {@link NonFinitePolicy#FAIL} and that step has not been observed since
     */
    void checkNotFailed(String kind) {
        for (int w = 0; w < units.length; w++) {
            NonFiniteGradientException e = failed.get(w);
            if (e != null) {
                throw new IllegalStateException("cannot save the " + kind + " ordering: "
                        + e.getMessage() + " (NonFinitePolicy.FAIL), and worker " + w + " has not got past that step "
                        + "since. A checkpoint of this state would resume into the same failure, so none is written: "
                        + "restore the last good checkpoint (one saved before the failure) and change what made the "
                        + "gradient non-finite (e.g. a lower learning rate), or use NonFinitePolicy.SKIP", e);
            }
        }
    }
}
