package org.dgrab.core.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures the order quality of real training: wraps any ordering, keeps every unit gradient it is shown during an
 * epoch, and at {@link #endEpoch()} computes the {@linkplain HerdingBound#parallel parallel herding bound} of the
 * epoch's orders on those gradients (each worker's gradients in the order its units were visited, centred by that
 * worker's mean), the quantity {@code dgrab herding} reports for random vectors. The orders are the wrapped
 * strategy's, unchanged.
 *
 * <p>It asks for gradients ({@link #needsGradients()} is true) even around a gradient-free ordering such as
 * {@code d-rr}, so that the baseline is measured on its own gradients too; a trainer then computes and hands them
 * over as for a gradient ordering, which costs that ordering the time a gradient ordering spends capturing them.
 * It keeps one epoch of gradients in memory: {@code 8 x (units of all workers) x dim} bytes.
 *
 * <p>An epoch in which some worker was not shown every step (a checkpoint restored mid-epoch, {@link #restore})
 * has no bound: {@link Double#NaN}. Gradients are copied during {@code observe}; observations of different workers
 * may come from different threads, as from the wrapped strategy's point of view, and {@link #endEpoch()} must
 * follow them all (as the call order of every strategy requires).
 */
public final class HerdingMonitor extends ForwardingOrderingStrategy {
    private final double[][] rows;
    private final int[] seen;
    private final int[] dims;
    private final List<Double> bounds = new ArrayList<>();
    /** True from a restore to the end of that epoch, whose first steps this monitor never saw. */
    private volatile boolean interrupted;

    /**
     * @param delegate the ordering to watch; owned from now on ({@link #close()} closes it)
     * @throws IllegalArgumentException if {@code delegate} is null
     */
    public HerdingMonitor(OrderingStrategy delegate) {
        super(delegate);
        this.rows = new double[delegate.workers()][];
        this.seen = new int[delegate.workers()];
        this.dims = new int[delegate.workers()];
    }

    @Override
    protected OrderingStrategy wrap(OrderingStrategy fresh) {
        return new HerdingMonitor(fresh);
    }

    /** @return true: the bound needs every unit's gradient, whatever the wrapped ordering needs */
    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public void observe(int worker, int step, INDArray gradient) {
        super.observe(worker, step, gradient);
        double[] v = gradient.toDoubleVector();
        keep(worker, step, v, 0, v.length);
    }

    @Override
    public void observe(int worker, int step, double[] values, int offset, int dim) {
        super.observe(worker, step, values, offset, dim);
        keep(worker, step, values, offset, dim);
    }

    private void keep(int worker, int step, double[] values, int offset, int dim) {
        if (interrupted) {
            return;
        }
        if (rows[worker] == null) {
            // One worker's buffer, made by the thread that observes for it; endEpoch reads it after that thread.
            rows[worker] = new double[Math.multiplyExact(units(worker), dim)];
            dims[worker] = dim;
        }
        if (dim != dims[worker]) {
            throw new IllegalArgumentException("worker " + worker + " step " + step + ": gradient of dimension " + dim
                    + ", expected " + dims[worker] + " as in the epoch's first gradient");
        }
        if (step != seen[worker]) {
            // The wrapped strategy checks the step order of gradient orderings; gradient-free ones do not.
            throw new IllegalArgumentException("worker " + worker + ": observed step " + step + ", expected step "
                    + seen[worker] + " (steps are observed in order, once each)");
        }
        System.arraycopy(values, offset, rows[worker], step * dim, dim);
        seen[worker]++;
    }

    /**
     * Computes the epoch's herding bound, then ends the wrapped strategy's epoch.
     */
    @Override
    public void endEpoch() {
        double bound = interrupted ? Double.NaN : bound();
        super.endEpoch();
        bounds.add(bound);
        Arrays.fill(seen, 0);
        interrupted = false;
    }

    private double bound() {
        int n = workers();
        int dim = 0;
        for (int w = 0; w < n; w++) {
            if (seen[w] != units(w)) {
                return Double.NaN;
            }
            if (dim == 0) {
                dim = dims[w];
            } else if (dims[w] != dim) {
                throw new IllegalStateException("workers observed gradients of different dimensions: " + dim
                        + " and " + dims[w] + " (worker " + w + ")");
            }
        }
        int[][] visitOrder = new int[n][];
        for (int w = 0; w < n; w++) {
            // Rows are stored by step, so the visiting order of the epoch is the identity on them.
            visitOrder[w] = new int[units(w)];
            Arrays.setAll(visitOrder[w], i -> i);
        }
        return HerdingBound.parallel(rows, dim, visitOrder);
    }

    /**
     * Restores the wrapped strategy; the gradients of the interrupted epoch are dropped, so that epoch's bound is
     * {@link Double#NaN}.
     */
    @Override
    public void restore(InputStream in) throws IOException {
        super.restore(in);
        Arrays.fill(seen, 0);
        interrupted = true;
    }

    /** @return the herding bound of every epoch ended through this monitor, in order ({@code NaN}: not measured) */
    public List<Double> bounds() {
        return List.copyOf(bounds);
    }

    /**
     * @return the bound of the last ended epoch
     * @throws IllegalStateException if no epoch has ended yet
     */
    public double lastBound() {
        if (bounds.isEmpty()) {
            throw new IllegalStateException("no epoch has ended yet");
        }
        return bounds.get(bounds.size() - 1);
    }
}
