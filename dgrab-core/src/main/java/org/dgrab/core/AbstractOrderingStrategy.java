package org.dgrab.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.internal.state.StateFormat;
import org.dgrab.core.internal.state.StateReader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Template for every strategy: argument checks, step bookkeeping, optional sketching, epoch advance and the
 * checkpoint envelope live here, final; a strategy only fills in small hooks.
 *
 * <p>Hooks, in call order: {@link #allocate(VectorBuffer)} once the vector dimension is known (first observation
 * or restore); {@link #onObserve(int, int, int, VectorRef)} for each observation of a gradient strategy;
 * {@link #nextOrders(int[][], int[][])} at the end of each epoch; {@link #writeState}/{@link #readState} for
 * checkpoints (read everything and check it, then apply); {@link #onClose()}.
 *
 * <p>Epoch 0 uses a seeded random order per worker, the same for every strategy with the same seed (so that
 * comparisons start from the same order); {@link FixedOrder} overrides {@link #initialOrder(int)}.
 */
abstract class AbstractOrderingStrategy implements OrderingStrategy {
    private static final Logger log = LoggerFactory.getLogger(AbstractOrderingStrategy.class);

    /** The configuration. */
    protected final OrderingConfig config;
    private final int[] units;
    /** Each worker's order, next step and unresolved failure, with the checks on them. */
    private final WorkerSteps steps;
    private final VectorRef[] inputs;
    private final AtomicLong skipped = new AtomicLong();

    private final GradientInput input;

    private int epoch;
    private volatile boolean closed;
    private volatile boolean broken;

    /**
     * @param config         configuration
     * @param unitsPerWorker local units of each worker
     */
    protected AbstractOrderingStrategy(OrderingConfig config, int[] unitsPerWorker) {
        if (config == null) {
            throw new IllegalArgumentException("config is null");
        }
        this.config = config;
        this.units = WorkerSteps.checkUnits(unitsPerWorker);
        int n = units.length;
        this.inputs = new VectorRef[n];
        this.input = new GradientInput(config, n, this::allocate, this::stateVectorsPerWorker);
        for (int w = 0; w < n; w++) {
            inputs[w] = new VectorRef();
        }
        this.steps = new WorkerSteps(units, this::initialOrder);
    }

    /**
     * Epoch 0's order of a worker. Default: the seeded random permutation of (seed, epoch 0, worker).
     *
     * @param worker worker id
     * @return a permutation of {@code 0..units(worker)-1}
     */
    protected int[] initialOrder(int worker) {
        return Permutations.random(config.seed(), 0, worker, units[worker]);
    }

    @Override
    public final OrderingConfig config() {
        return config;
    }

    @Override
    public final int workers() {
        return units.length;
    }

    @Override
    public final int units(int worker) {
        checkWorker(worker);
        return units[worker];
    }

    /** @return a copy of every worker's number of units */
    public final int[] unitsPerWorker() {
        return units.clone();
    }

    @Override
    public final int epoch() {
        return epoch;
    }

    @Override
    public boolean needsGradients() {
        return config.kind().needsGradients();
    }

    /**
     * @return how many units or pairs were skipped so far under {@link NonFinitePolicy#SKIP}; the same number as
     *         {@link #stats()}{@code .skippedUnits()}
     */
    public long skippedCount() {
        return skipped.get();
    }

    /** Skipped units from {@link #skippedCount()}; no messages (overridden by strategies that send some). */
    @Override
    public OrderingStats stats() {
        return OrderingStats.local(skippedCount());
    }

    @Override
    public final int[] order(int worker) {
        checkOpen();
        checkWorker(worker);
        return steps.orders()[worker].clone();
    }

    @Override
    public final int unitAt(int worker, int step) {
        checkOpen();
        checkWorker(worker);
        return steps.unitAt(worker, step);
    }

    @Override
    public final void observe(int worker, int step, INDArray gradient) {
        checkObserve(worker, step);
        if (!needsGradients()) {
            steps.advance(worker);
            return;
        }
        process(worker, step, inputs[worker].set(gradient));
    }

    @Override
    public final void observe(int worker, int step, double[] values, int offset, int dim) {
        checkObserve(worker, step);
        if (!needsGradients()) {
            steps.advance(worker);
            return;
        }
        process(worker, step, inputs[worker].set(values, offset, dim));
    }

    private void checkObserve(int worker, int step) {
        checkOpen();
        checkWorker(worker);
        steps.checkObserve(worker, step, epoch);
    }

    private void process(int worker, int step, VectorRef in) {
        try {
            onObserve(worker, step, steps.orders()[worker][step], input.accept(worker, step, epoch, in));
        } catch (NonFiniteGradientException e) {
            steps.fail(worker, e);
            throw e;
        }
        steps.advance(worker);
    }

    @Override
    public final void endEpoch() {
        checkOpen();
        if (needsGradients()) {
            steps.checkComplete(epoch, config.kind().id());
        }
        steps.endEpoch(this::nextOrders);
        epoch++;
    }

    /**
     * Moves to an arbitrary epoch, for strategies whose orders do not depend on history.
     *
     * @param newEpoch the epoch, {@code >= 0}
     * @param orderOf  the order of each worker in that epoch
     */
    protected final void seek(int newEpoch, java.util.function.IntFunction<int[]> orderOf) {
        checkOpen();
        if (newEpoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + newEpoch);
        }
        steps.seek(orderOf);
        epoch = newEpoch;
    }

    /**
     * Applies {@link NonFinitePolicy}: throws under FAIL, logs and counts under SKIP (the caller then places the
     * unit or pair as if its sign were +1 and leaves sums untouched).
     *
     * @param worker worker id
     * @param step   the step whose gradient is bad
     * @param unit   the unit visited at that step
     * @param detail what was found
     * @throws NonFiniteGradientException under FAIL
     */
    protected final void nonFinite(int worker, int step, int unit, String detail) {
        if (config.nonFinitePolicy() == NonFinitePolicy.FAIL) {
            throw new NonFiniteGradientException(worker, epoch, step, unit, detail);
        }
        skipped.incrementAndGet();
        log.warn("skipping non-finite gradient from worker {} in epoch {} at step {} (unit {}): {}; the unit keeps a "
                + "place in the next order but does not enter the running sums", worker, epoch, step, unit, detail);
    }

    // ---- hooks -------------------------------------------------------------------------------------------

    /**
     * Called once when the dimension of balanced vectors is known.
     *
     * @param prototype a zero buffer of the right kind, type and dimension; use {@link VectorBuffer#newZero()}
     */
    protected void allocate(VectorBuffer prototype) {
    }

    /**
     * How many vectors of the balanced dimension {@link #allocate} creates per worker (shared ones spread over the
     * workers): the memory estimate with which an allocation that cannot fit is refused, or an
     * {@link OutOfMemoryError} during it reported, as a {@link org.dgrab.core.DgrabOutOfMemoryError} naming the bytes.
     *
     * @return vectors per worker; default 0 (the strategy keeps no vectors)
     */
    protected int stateVectorsPerWorker() {
        return 0;
    }

    /**
     * Consumes one gradient (already sketched if configured). Must leave the strategy unchanged if it throws.
     *
     * @param worker worker id
     * @param step   step within the epoch
     * @param unit   the unit visited at that step
     * @param x      the vector
     */
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
    }

    /**
     * Computes every worker's next order.
     *
     * @param current this epoch's orders (read only)
     * @param next    arrays of the right lengths to fill
     */
    protected abstract void nextOrders(int[][] current, int[][] next);

    /**
     * Writes strategy-specific state.
     *
     * @param out sink
     * @throws IOException on failure
     */
    protected void writeState(DataOutputStream out) throws IOException {
    }

    /**
     * Reads and checks what {@link #writeState} wrote, without changing anything, and returns the action that
     * applies it. The action runs after this class has applied its own part and (if the checkpoint has vectors)
     * called {@link #allocate}; it must not fail.
     *
     * @param in       source, positioned after this class's part
     * @param restored this class's part, already read and checked: epoch, step counters, orders, vector shape
     * @return the action that applies the strategy-specific state
     * @throws IOException for anything malformed or inconsistent with {@code restored}
     */
    protected Runnable readState(StateReader in, Restored restored) throws IOException {
        return () -> { };
    }

    /**
     * The part of a checkpoint that {@link AbstractOrderingStrategy} reads before a strategy's own state, handed
     * to {@link #readState} so the strategy can check its state against it.
     *
     * @param epoch     the epoch
     * @param steps     the next step of each worker
     * @param orders    each worker's order of this epoch
     * @param prototype a zero vector of the shape every state vector has, or null if the checkpoint has none
     *                  (no gradient observed yet)
     */
    protected record Restored(int epoch, int[] steps, int[][] orders, VectorBuffer prototype) {
    }

    /** Releases strategy-specific resources. */
    protected void onClose() {
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------

    @Override
    public final void save(OutputStream sink) throws IOException {
        checkOpen();
        steps.checkNotFailed(config.kind().id());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        CheckpointEnvelope.write(out, config, units, epoch, steps.steps(), steps.orders(), skipped.get(), input.dim(), input.nd(),
                input.typeOrNull());
        writeState(out);
        out.flush();
        StateFormat.writeCheckpoint(sink, bytes.toByteArray());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Everything is read and checked before anything changes (format, checksum, configuration, sizes, and that
     * the state is one the strategy can reach); a restore that fails leaves the strategy as it was.
     */
    @Override
    public final void restore(InputStream source) throws IOException {
        checkOpenIgnoringBroken();
        StateReader in = new StateReader(StateFormat.readCheckpoint(source), StateFormat.HEADER_BYTES);
        CheckpointEnvelope e = CheckpointEnvelope.read(in, config, units);
        VectorBuffer proto = e.type == null ? null : input.prototype(e.nd, e.type, e.dim);
        Runnable own = readState(in, new Restored(e.epoch, e.steps, e.orders, proto));
        in.expectEnd();

        // Everything is checked: apply. Nothing below throws short of running out of memory, which would leave a
        // half-applied state, hence the guard.
        broken = true;
        epoch = e.epoch;
        steps.restore(e.steps, e.orders);
        skipped.set(e.skipped);
        input.clear();
        if (proto != null) {
            input.setUp(e.nd, e.type, e.dim, proto);
        }
        own.run();
        broken = false;
    }

    @Override
    public final OrderingStrategy copy() {
        return config.create(units);
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            onClose();
        }
    }

    /** @return true after {@link #close()} */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * @throws IllegalStateException if closed or left broken by a failed restore
     */
    protected final void checkOpen() {
        checkOpenIgnoringBroken();
        if (broken) {
            throw new IllegalStateException(config.kind().id() + " strategy is unusable after a failed restore; "
                    + "restore a valid checkpoint");
        }
    }

    private void checkOpenIgnoringBroken() {
        if (closed) {
            throw new IllegalStateException(config.kind().id() + " strategy is closed");
        }
    }

    /**
     * @param worker worker id to check
     * @throws IllegalArgumentException if outside {@code [0, n)}
     */
    protected final void checkWorker(int worker) {
        if (worker < 0 || worker >= units.length) {
            throw new IllegalArgumentException("unknown worker id " + worker + "; valid range [0, " + units.length + ")");
        }
    }

    @Override
    public String toString() {
        return config + " for " + units.length + " worker(s), epoch " + epoch;
    }
}
