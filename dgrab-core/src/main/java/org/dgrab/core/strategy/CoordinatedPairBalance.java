package org.dgrab.core.strategy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.NonFinitePolicy;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.balance.NdVectorBuffer;
import org.dgrab.core.balance.VectorBuffer;
import org.dgrab.core.balance.VectorRef;
import org.dgrab.core.protocol.CommunicationStats;
import org.dgrab.core.protocol.Coordinator;
import org.dgrab.core.protocol.InProcessTransport;
import org.dgrab.core.protocol.OrderingWorker;
import org.dgrab.core.random.SplitMix64;

/**
 * Coordinated PairBalance, CD-GraB: every worker reports the difference of each pair of consecutive gradients; one
 * {@link Coordinator} balances all {@code n} differences of a pair-step, in worker-id order, against a single
 * shared running sum and gives each worker its signs; each worker builds its own next order. Runs the real
 * protocol ({@link OrderingWorker}s talking to a coordinator over an {@link InProcessTransport}), so it works
 * with one thread per worker and counts what a network would carry ({@link #communication()}).
 *
 * <p>With one worker this equals {@link PairBalance} exactly. Workers may own different numbers of units; a
 * worker with an odd number reports its last unit's own vector. Training never waits on the coordinator except
 * at {@link #endEpoch()}.
 *
 * <p>ND4J gradients (model-sized vectors) are balanced off the caller's thread: {@code observe} only copies the
 * gradient into a pooled buffer (and, under {@link NonFinitePolicy#FAIL}, checks it is finite, so that a bad
 * gradient still fails in the call that handed it in, leaving the strategy unchanged) and queues it for one
 * background "coordinator" thread that forms pair differences, reports them and balances them. Orders are
 * unaffected: each worker's gradients are processed in order and the coordinator balances in canonical order.
 * {@code endEpoch}, {@code save}, {@code restore}, {@link #communication()} and {@link #skippedCount()} first wait
 * for the queue to drain. Small {@code double[]} vectors are balanced synchronously, where a hand-off would cost
 * more than the work.
 */
public final class CoordinatedPairBalance extends AbstractOrderingStrategy {
    private static final long COORDINATOR_STREAM = 0x434F_4F52L;

    private final Coordinator coordinator;
    private final InProcessTransport transport;
    private final OrderingWorker[] workers;
    /** Gradients queued for the background thread at most; bounds the memory of the buffer pool. */
    private static final int MAX_QUEUED = 8;
    private final Semaphore queued = new Semaphore(MAX_QUEUED);
    private final ArrayDeque<VectorBuffer> pool = new ArrayDeque<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private ExecutorService background;

    /**
     * Prefer {@link OrderingConfig#create(int...)}.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#CD_GRAB}
     * @param unitsPerWorker units of each worker
     */
    public CoordinatedPairBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        coordinator = new Coordinator(unitsPerWorker, config.signRule(), coordinatorSeed(config.seed()));
        transport = new InProcessTransport(coordinator);
        workers = new OrderingWorker[unitsPerWorker.length];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new OrderingWorker(w, order(w), transport, config.nonFinitePolicy(), config.signTimeout());
        }
    }

    /**
     * Seed of the coordinator's sign generator.
     *
     * @param seed the configuration's seed
     * @return the derived seed
     */
    static long coordinatorSeed(long seed) {
        return SplitMix64.derive(seed, COORDINATOR_STREAM);
    }

    /** @return messages and bytes exchanged with the coordinator so far */
    public CommunicationStats communication() {
        drain();
        return transport.stats();
    }

    @Override
    public long skippedCount() {
        drain();
        long s = super.skippedCount();
        for (OrderingWorker w : workers) {
            s += w.skippedCount();
        }
        return s;
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        rethrowFailure();
        if (!x.isNd()) {
            workers[worker].observe(step, x);
            return;
        }
        VectorBuffer copy = borrow(x);
        copy.assign(x);
        if (config.nonFinitePolicy() == NonFinitePolicy.FAIL && !Double.isFinite(copy.dot(copy))) {
            giveBack(copy);
            throw new NonFiniteGradientException(worker, epoch(), step, unit, whereNonFinite(x));
        }
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            giveBack(copy);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing the gradient of worker " + worker + " step " + step, e);
        }
        executor().execute(() -> {
            try {
                if (failure.get() == null) {
                    workers[worker].observe(step, new VectorRef().set(((NdVectorBuffer) copy).array()));
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                giveBack(copy);
                queued.release();
            }
        });
    }

    private synchronized ExecutorService executor() {
        if (background == null) {
            background = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dgrab-coordinator");
                t.setDaemon(true);
                return t;
            });
        }
        return background;
    }

    private VectorBuffer borrow(VectorRef like) {
        synchronized (pool) {
            VectorBuffer b = pool.poll();
            if (b != null && b.dim() == like.dim() && b.dataType() == like.dataType()) {
                return b;
            }
        }
        return VectorBuffer.like(like, like.dim());
    }

    private void giveBack(VectorBuffer b) {
        synchronized (pool) {
            pool.push(b);
        }
    }

    /** Waits until every queued gradient has been balanced, then rethrows a failure of the background thread. */
    private void drain() {
        ExecutorService ex;
        synchronized (this) {
            ex = background;
        }
        if (ex != null && !ex.isShutdown()) {
            try {
                ex.submit(() -> { }).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for queued gradients", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("coordinator thread failed", e.getCause());
            }
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IllegalStateException("balancing a queued gradient failed; the strategy is unusable until a "
                    + "checkpoint is restored: " + e.getMessage(), e);
        }
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        drain();
        for (int w = 0; w < workers.length; w++) {
            workers[w].finishEpoch();
            System.arraycopy(workers[w].order(), 0, next[w], 0, next[w].length);
        }
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
        drain();
        coordinator.write(out);
        for (OrderingWorker w : workers) {
            w.write(out);
        }
        CommunicationStats s = transport.stats();
        out.writeLong(s.reports());
        out.writeLong(s.reportBytes());
        out.writeLong(s.replies());
        out.writeLong(s.replyBytes());
    }

    @Override
    protected void readState(DataInputStream in) throws IOException {
        try {
            drain();
        } catch (IllegalStateException e) {
            // A failed background task is exactly what a restore recovers from.
        }
        failure.set(null);
        coordinator.read(in);
        for (OrderingWorker w : workers) {
            w.read(in);
        }
        transport.stats().setAll(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    protected void onClose() {
        synchronized (this) {
            if (background != null) {
                background.shutdownNow();
            }
        }
        transport.close();
    }
}
