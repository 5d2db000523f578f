package org.dgrab.core;

import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.protocol.CommunicationStats;
import org.dgrab.core.internal.protocol.TreeCoordinator;
import org.dgrab.core.internal.state.StateReader;

/**
 * Recursive CD-GraB ({@code cd-grab-recursive}): CD-GraB's balancing repeated down a binary tree of depth
 * {@link OrderingConfig#depth()} within one epoch, so that one epoch's gradients do the work of several CD-GraB
 * rounds. Each worker hands its units in pairs to a {@link TreeCoordinator}; the root balances every worker's pair
 * differences against one shared running sum (as CD-GraB does), sends the '+' unit of each pair left and the other
 * right, and every node below pairs and balances the units that reach it in the same way against a running sum of
 * its own; the leaves place units front/back, and a worker's next order is its leaves' parts from left to right.
 * Depth 0 is exactly CD-GraB.
 *
 * <p>This class is the workers' side: it keeps each worker's open pair, checks each pair for non-finite values in
 * the worker's own thread (the policy applies as in CD-GraB: FAIL throws before anything changes, SKIP hands the
 * pair in without vectors, sign +1) and hands it in. {@code observe} may run on one thread per worker; the tree
 * balances in canonical order, so orders do not depend on thread timing. Training never waits for another worker.
 *
 * <p>Call order, as for every {@link org.dgrab.core.OrderingStrategy}: per epoch, {@code observe} of steps
 * {@code 0..m-1} of every worker (any interleaving across workers), then {@code endEpoch}; {@code save} and
 * {@code restore} at any point between calls.
 */
final class RecursivePairBalance extends AbstractOrderingStrategy {
    private final TreeCoordinator tree;
    private final VectorBuffer[] first;
    private final VectorBuffer[] diff;

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#CD_GRAB_RECURSIVE}
     * @param unitsPerWorker units of each worker
     */
    RecursivePairBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        tree = new TreeCoordinator(unitsPerWorker, config.depth(), config.signRule(), config.seed());
        first = new VectorBuffer[unitsPerWorker.length];
        diff = new VectorBuffer[unitsPerWorker.length];
    }

    /** @return the tree's live counters of messages and bytes; {@link #stats()} has their totals */
    public CommunicationStats communication() {
        return tree.stats();
    }

    /** Skipped pairs of every worker and the messages and bytes of both directions. */
    @Override
    public OrderingStats stats() {
        CommunicationStats c = tree.stats();
        return new OrderingStats(skippedCount(), c.reports(), c.reportBytes(), c.replies(), c.replyBytes());
    }

    /** @return 3: first gradient, pair difference, and about one tree node */
    @Override
    protected int stateVectorsPerWorker() {
        return 3;
    }

    @Override
    protected void allocate(VectorBuffer prototype) {
        for (int w = 0; w < first.length; w++) {
            first[w] = prototype.newZero();
            diff[w] = prototype.newZero();
        }
        tree.setShape(prototype);
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        boolean lone = step == units(worker) - 1 && step % 2 == 0;
        if (step % 2 == 0 && !lone) {
            first[worker].assign(x);
            return;
        }
        VectorBuffer d = diff[worker];
        if (lone) {
            d.assign(x);
        } else {
            d.difference(first[worker], x);
        }
        // One extra pass, as CD-GraB's workers do: a NaN or infinity is caught here, in the thread that made it.
        boolean finite = Double.isFinite(d.dot(d));
        if (!finite) {
            NonFiniteText.Pair p = NonFiniteText.ofPair(step, unit, x, lone ? null : first[worker],
                    lone ? -1 : unitAt(worker, step - 1));
            nonFinite(worker, p.step(), p.unit(), p.detail());
        }
        if (lone) {
            tree.submitLone(worker, unit, finite ? x : null);
        } else {
            tree.submitPair(worker, unitAt(worker, step - 1), finite ? first[worker] : null, unit, x);
        }
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < next.length; w++) {
            tree.nextOrder(w, next[w]);
        }
        tree.startEpoch(epoch() + 1);
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
        tree.write(out);
        for (VectorBuffer f : first) {
            out.writeBoolean(f != null);
            if (f != null) {
                f.write(out);
            }
        }
    }

    /**
     * Reads the tree (checked against the units each worker has handed in: its steps so far, less an open pair's
     * first unit) and each worker's cached first gradient.
     */
    @Override
    protected Runnable readState(StateReader in, Restored r) throws IOException {
        int n = first.length;
        int[] submitted = new int[n];
        for (int w = 0; w < n; w++) {
            int steps = r.steps()[w];
            submitted[w] = steps == units(w) ? steps : steps - steps % 2;
        }
        Runnable applyTree = tree.read(in, r.prototype(), r.epoch(), r.orders(), submitted);
        VectorBuffer[] cached = new VectorBuffer[n];
        for (int w = 0; w < n; w++) {
            boolean present = in.readBoolean("worker " + w + " pair cache present");
            if (present != (r.prototype() != null)) {
                throw in.corrupt("worker " + w + (present ? " has a pair cache, but no input is recorded"
                        : " has no pair cache, but an input is recorded"));
            }
            cached[w] = present ? r.prototype().readCopy(in, "worker " + w + " first gradient of the pair") : null;
        }
        return () -> {
            applyTree.run();
            for (int w = 0; w < n; w++) {
                first[w] = cached[w];
                diff[w] = cached[w] == null ? null : cached[w].newZero();
            }
        };
    }
}
