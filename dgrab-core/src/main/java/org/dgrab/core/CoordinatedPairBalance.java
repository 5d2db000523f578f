package org.dgrab.core;

import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.protocol.CommunicationStats;
import org.dgrab.core.internal.protocol.Coordinator;
import org.dgrab.core.internal.protocol.CoordinatorState;
import org.dgrab.core.internal.protocol.InProcessTransport;
import org.dgrab.core.internal.protocol.NonFiniteAction;
import org.dgrab.core.internal.protocol.OrderingWorker;
import org.dgrab.core.internal.random.Seeds;
import org.dgrab.core.internal.state.StateReader;

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
 */
final class CoordinatedPairBalance extends AbstractOrderingStrategy {
    private final Coordinator coordinator;
    private final InProcessTransport transport;
    private final OrderingWorker[] workers;

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#CD_GRAB}
     * @param unitsPerWorker units of each worker
     */
    CoordinatedPairBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        coordinator = new Coordinator(unitsPerWorker, config.signRule(), Seeds.coordinatorSigns(config.seed()));
        transport = new InProcessTransport(coordinator);
        workers = new OrderingWorker[unitsPerWorker.length];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new OrderingWorker(w, order(w), transport, nonFiniteAction(config.nonFinitePolicy()),
                    config.signTimeout());
        }
    }

    /** FAIL: the worker throws {@link NonFiniteGradientException} naming the unit; SKIP: it skips the pair. */
    private static NonFiniteAction nonFiniteAction(NonFinitePolicy policy) {
        if (policy == NonFinitePolicy.FAIL) {
            return (worker, epoch, step, unit, where) -> {
                throw new NonFiniteGradientException(worker, epoch, step, unit, where);
            };
        }
        return (worker, epoch, step, unit, where) -> {
        };
    }

    /**
     * @return the live counters of messages and bytes exchanged with the coordinator so far, by direction;
     *         {@link #stats()} has their totals
     */
    public CommunicationStats communication() {
        return transport.stats();
    }

    /** Skipped pairs of every worker and the messages and bytes of both directions. */
    @Override
    public OrderingStats stats() {
        CommunicationStats c = transport.stats();
        return new OrderingStats(skippedCount(), c.reports(), c.reportBytes(), c.replies(), c.replyBytes());
    }

    @Override
    public long skippedCount() {
        long s = super.skippedCount();
        for (OrderingWorker w : workers) {
            s += w.skippedCount();
        }
        return s;
    }

    /** @return 2: the worker's first gradient or pair difference and the coordinator's share */
    @Override
    protected int stateVectorsPerWorker() {
        return 2;
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        workers[worker].observe(step, x);
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < workers.length; w++) {
            workers[w].finishEpoch();
            System.arraycopy(workers[w].order(), 0, next[w], 0, next[w].length);
        }
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
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

    /**
     * Reads coordinator and workers and checks that they agree with each other and with the strategy's epoch,
     * steps and orders, so that a restored run never waits for reports that will not come.
     */
    @Override
    protected Runnable readState(StateReader in, Restored r) throws IOException {
        CoordinatorState c = coordinator.read(in);
        VectorBuffer shape = r.prototype();
        requireShape(in, "coordinator", c.shape(), shape);
        boolean epochDone = true;
        for (int w = 0; w < workers.length; w++) {
            epochDone &= r.steps()[w] == units(w);
        }
        // The coordinator opens the next epoch as soon as the last report of this one is balanced.
        int coordinatorEpoch = epochDone ? r.epoch() + 1 : r.epoch();
        if (c.epoch() != coordinatorEpoch) {
            throw in.corrupt("coordinator collects epoch " + c.epoch() + ", expected " + coordinatorEpoch
                    + " for a strategy in epoch " + r.epoch() + (epochDone ? " with every step observed" : ""));
        }
        OrderingWorker.Saved[] saved = new OrderingWorker.Saved[workers.length];
        for (int w = 0; w < workers.length; w++) {
            OrderingWorker.Saved s = workers[w].read(in);
            int steps = r.steps()[w];
            int m = units(w);
            int sent = steps == m ? (m + 1) / 2 : steps / 2;
            if (s.epoch() != r.epoch() || s.nextStep() != steps) {
                throw in.corrupt("worker " + w + " is at epoch " + s.epoch() + " step " + s.nextStep()
                        + ", the strategy at epoch " + r.epoch() + " step " + steps);
            }
            for (int t = 0; t < m; t++) {
                if (s.unitAt(t) != r.orders()[w][t]) {
                    throw in.corrupt("worker " + w + " order differs from the strategy's order at step " + t);
                }
            }
            requireShape(in, "worker " + w, s.first(), shape);
            int received = epochDone ? 0 : sent;
            if (c.reportsReceived(w) != received || c.collected(w) != r.epoch() - 1) {
                throw in.corrupt("coordinator received " + c.reportsReceived(w) + " reports of worker " + w
                        + " and handed it the signs of epoch " + c.collected(w) + ", but the worker sent " + sent
                        + " in epoch " + r.epoch());
            }
            saved[w] = s;
        }
        long[] counters = new long[4];
        String[] names = {"reports sent", "report bytes", "replies sent", "reply bytes"};
        for (int i = 0; i < counters.length; i++) {
            counters[i] = in.readCount(names[i]);
        }
        return () -> {
            coordinator.apply(c);
            for (int w = 0; w < workers.length; w++) {
                workers[w].apply(saved[w]);
            }
            transport.stats().setAll(counters);
        };
    }

    private static void requireShape(StateReader in, String who, VectorBuffer v, VectorBuffer expected)
            throws IOException {
        if (v != null && (expected == null || !v.sameShape(expected))) {
            throw in.corrupt(who + " holds " + v.describe() + ", expected "
                    + (expected == null ? "no vectors (no input is recorded)" : expected.describe()));
        }
    }

    @Override
    protected void onClose() {
        transport.close();
    }
}
