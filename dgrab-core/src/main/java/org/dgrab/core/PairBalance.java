package org.dgrab.core;

import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.balance.OrderBuilder;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Seeds;
import org.dgrab.core.internal.state.StateReader;

/**
 * PairBalance: gradients are taken in consecutive pairs (steps {@code 2k, 2k+1}); the difference
 * {@code d = g_2k - g_2k+1} is balanced against a running sum that restarts each epoch. The unit whose sign is +1
 * goes to the next free slot at the front of the next order, the other to the next free slot at the back. No
 * stale mean is needed. With several workers every worker does this alone: the ID-GraB (pair) baseline.
 *
 * <p>With an odd number of units the last, unpaired unit is balanced by itself (its own vector against the
 * running sum) and takes the one slot left in the middle. Per pair: one copy, one subtraction, one dot, one axpy.
 * Memory per worker: three vectors of the gradient (or sketch) dimension.
 */
final class PairBalance extends AbstractOrderingStrategy {
    private final Worker[] state;

    /** Per-worker state. */
    private static final class Worker {
        final Balancer balancer;
        OrderBuilder next = new OrderBuilder();
        VectorBuffer first;
        VectorBuffer diff;
        int firstUnit = -1;

        Worker(Balancer balancer) {
            this.balancer = balancer;
        }
    }

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#PAIR_BALANCE}
     * @param unitsPerWorker units of each worker
     */
    PairBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        state = new Worker[unitsPerWorker.length];
        for (int w = 0; w < state.length; w++) {
            state[w] = new Worker(new Balancer(config.signRule(), Seeds.pairBalanceSigns(config.seed(), w)));
            state[w].next.reset(unitsPerWorker[w]);
        }
    }

    /** @return 3: first gradient of the pair, pair difference and the balancer's running sum */
    @Override
    protected int stateVectorsPerWorker() {
        return 3;
    }

    @Override
    protected void allocate(VectorBuffer prototype) {
        for (Worker s : state) {
            s.first = prototype.newZero();
            s.diff = prototype.newZero();
        }
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        Worker s = state[worker];
        boolean lone = step == units(worker) - 1 && step % 2 == 0;
        if (step % 2 == 0 && !lone) {
            s.first.assign(x);
            s.firstUnit = unit;
            return;
        }
        if (lone) {
            s.diff.assign(x);
        } else {
            s.diff.difference(s.first, x);
        }
        int sign = s.balancer.balance(s.diff);
        if (sign == Balancer.NOT_FINITE) {
            NonFiniteText.Pair p = NonFiniteText.ofPair(step, unit, x, lone ? null : s.first, s.firstUnit);
            nonFinite(worker, p.step(), p.unit(), p.detail());
            sign = 1;
        }
        if (lone) {
            s.next.place(sign, unit);
        } else {
            s.next.placePair(sign, s.firstUnit, unit);
        }
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < state.length; w++) {
            Worker s = state[w];
            System.arraycopy(s.next.result(), 0, next[w], 0, next[w].length);
            s.next.reset(next[w].length);
            s.balancer.reset();
            s.firstUnit = -1;
        }
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
        for (Worker s : state) {
            s.next.write(out);
            s.balancer.write(out);
            out.writeInt(s.firstUnit);
            out.writeBoolean(s.first != null);
            if (s.first != null) {
                s.first.write(out);
            }
        }
    }

    @Override
    protected Runnable readState(StateReader in, Restored r) throws IOException {
        Runnable[] apply = new Runnable[state.length];
        for (int w = 0; w < state.length; w++) {
            Worker s = state[w];
            String who = "worker " + w;
            int[] order = r.orders()[w];
            int m = order.length;
            int steps = r.steps()[w];
            // A pair is placed when its second step is observed, a lone last unit when it is observed.
            OrderBuilder next = OrderBuilder.read(in, who, order, steps == m ? m : steps - steps % 2);
            Runnable balancer = s.balancer.read(in, r.prototype(), who);
            int pairsStarted = (steps + 1) / 2 - (m % 2 == 1 && steps == m ? 1 : 0);
            int expectedFirst = pairsStarted == 0 ? -1 : order[2 * (pairsStarted - 1)];
            int firstUnit = in.readInt(who + " first unit of the current pair", expectedFirst, expectedFirst);
            boolean vectors = in.readBoolean(who + " pair cache present");
            if (vectors != (r.prototype() != null)) {
                throw in.corrupt(who + (vectors ? " has a pair cache, but no input is recorded"
                        : " has no pair cache, but an input is recorded"));
            }
            VectorBuffer first = vectors ? r.prototype().readCopy(in, who + " first gradient of the pair") : null;
            apply[w] = () -> {
                s.next = next;
                balancer.run();
                s.firstUnit = firstUnit;
                if (first != null) {
                    s.first = first;
                } else {
                    s.first = null;
                    s.diff = null;
                }
            };
        }
        return () -> {
            for (Runnable a : apply) {
                a.run();
            }
        };
    }
}
