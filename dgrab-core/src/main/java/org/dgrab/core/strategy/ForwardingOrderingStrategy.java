package org.dgrab.core.strategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStats;
import org.dgrab.core.OrderingStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An {@link OrderingStrategy} that forwards every call to another one: the base of decorators that watch an
 * ordering (time it, measure herding, add a known cost for a benchmark) without touching the algorithm, so that
 * instrumentation never lives inside a strategy. A subclass overrides the calls it watches and calls {@code super}
 * to forward them; the call order and error guarantees are the wrapped strategy's.
 *
 * <p>{@link #copy()} wraps a fresh copy of the wrapped strategy through {@link #wrap(OrderingStrategy)}, so a
 * decorator's copy has the same configuration and fresh state, like any strategy's. A decorator that keeps state
 * of its own does not put it into {@link #save} (checkpoints hold the ordering's state only).
 */
public abstract class ForwardingOrderingStrategy implements OrderingStrategy {
    private final OrderingStrategy delegate;

    /**
     * @param delegate the strategy every call goes to; owned from now on ({@link #close()} closes it)
     * @throws IllegalArgumentException if {@code delegate} is null
     */
    protected ForwardingOrderingStrategy(OrderingStrategy delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("the strategy to forward to is null");
        }
        this.delegate = delegate;
    }

    /** @return the wrapped strategy (itself possibly a decorator) */
    public final OrderingStrategy delegate() {
        return delegate;
    }

    /**
     * The innermost strategy of a chain of decorators (counters need no unwrapping: {@link #stats()} forwards).
     *
     * @param strategy a strategy, decorated or not
     * @return the first strategy in the chain that is not a {@code ForwardingOrderingStrategy}
     */
    public static OrderingStrategy unwrap(OrderingStrategy strategy) {
        OrderingStrategy s = strategy;
        while (s instanceof ForwardingOrderingStrategy) {
            s = ((ForwardingOrderingStrategy) s).delegate;
        }
        return s;
    }

    /**
     * Builds the same decorator around another strategy; {@link #copy()} uses it with a fresh copy of the wrapped
     * strategy.
     *
     * @param fresh the strategy to wrap
     * @return a new decorator of this kind, with fresh state of its own
     */
    protected abstract OrderingStrategy wrap(OrderingStrategy fresh);

    @Override
    public OrderingConfig config() {
        return delegate.config();
    }

    @Override
    public int workers() {
        return delegate.workers();
    }

    @Override
    public int units(int worker) {
        return delegate.units(worker);
    }

    @Override
    public int epoch() {
        return delegate.epoch();
    }

    @Override
    public boolean needsGradients() {
        return delegate.needsGradients();
    }

    @Override
    public OrderingStats stats() {
        return delegate.stats();
    }

    @Override
    public int[] order(int worker) {
        return delegate.order(worker);
    }

    @Override
    public int unitAt(int worker, int step) {
        return delegate.unitAt(worker, step);
    }

    @Override
    public void observe(int worker, int step, INDArray gradient) {
        delegate.observe(worker, step, gradient);
    }

    @Override
    public void observe(int worker, int step, double[] values, int offset, int dim) {
        delegate.observe(worker, step, values, offset, dim);
    }

    @Override
    public void endEpoch() {
        delegate.endEpoch();
    }

    @Override
    public void save(OutputStream out) throws IOException {
        delegate.save(out);
    }

    @Override
    public void restore(InputStream in) throws IOException {
        delegate.restore(in);
    }

    @Override
    public final OrderingStrategy copy() {
        return wrap(delegate.copy());
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
