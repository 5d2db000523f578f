package org.dgrab.lab.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A cost floor for {@code dgrab cost --floors}: the ideal of "ordering off the critical path". At the end of every
 * pair of a worker's steps one background thread does the arithmetic of balancing a pair in place (difference,
 * inner product with a shared running sum, update: eight passes over a gradient-sized vector) on buffers of its
 * own, while the training thread only hands over the event; nothing is copied from the model. The orders are the
 * wrapped gradient-free ordering's. Its overhead is what the memory traffic of balancing costs the training
 * thread through the shared caches and memory alone, an optimistic bound for a background coordinator (a real one
 * must also get each gradient out of the model before the next backward pass overwrites it). Not an ordering anyone
 * should train with.
 */
public final class OffloadFloor extends CostFloor {
    private final VectorBuffer[] first;
    private final VectorBuffer[] second;
    private final Balancer balancer = new Balancer(SignRule.deterministic(), 0);
    private final VectorRef ref = new VectorRef();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dgrab-offload-floor");
        t.setDaemon(true);
        return t;
    });
    private Future<?> last;

    /**
     * @param delegate a gradient-free ordering (its orders are used unchanged)
     * @throws IllegalArgumentException if {@code delegate} uses gradients (the floor would add to its cost)
     */
    public OffloadFloor(OrderingStrategy delegate) {
        super(delegate);
        this.first = new VectorBuffer[delegate.workers()];
        this.second = new VectorBuffer[delegate.workers()];
    }

    @Override
    protected OrderingStrategy wrap(OrderingStrategy fresh) {
        return new OffloadFloor(fresh);
    }

    @Override
    public void observe(int worker, int step, INDArray gradient) {
        super.observe(worker, step, gradient);
        if (first[worker] == null) {
            // Once per run: the background buffers start as copies of a real gradient, so the arithmetic runs on
            // realistic values (the first pair's difference is then zero, later ones are not).
            ref.set(gradient);
            first[worker] = VectorBuffer.like(ref, ref.dim());
            first[worker].assign(ref);
            second[worker] = first[worker].newZero();
            second[worker].assign(ref);
            second[worker].scale(0.5);
        }
        if (step % 2 == 1) {
            VectorBuffer a = first[worker];
            VectorBuffer b = second[worker];
            double sign = step % 4 == 1 ? -1.0 : 1.0;
            // Alternating the sign keeps a bounded: a - b + b - b + ...
            last = background.submit(() -> {
                a.addScaled(sign, b);
                balancer.balance(a);
            });
        }
    }

    @Override
    public void observe(int worker, int step, double[] values, int offset, int dim) {
        throw new UnsupportedOperationException("the offload floor measures model-sized ND4J gradients (batch units)");
    }

    @Override
    public void endEpoch() {
        awaitBackground();
        balancer.reset();
        super.endEpoch();
    }

    private void awaitBackground() {
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the offload floor's background work finished", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the offload floor's background work failed", e.getCause());
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        super.close();
    }
}
